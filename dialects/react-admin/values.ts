// Canonical values <-> react-admin JSON values, by canonical field type (mapping.md §0.1, §4.0).
// Out: ids and numbers as JSON numbers, dates 'YYYY-MM-DD', datetimes ISO with milliseconds and Z.
// In: numbers or numeric strings, true/false (also "true"/"1"), any ISO date-time offset (stored UTC), picklist
// values through the loose match (case and non-alphanumerics ignored), anything else verbatim (R4).
import type { Registry } from '../../core/schema/registry';
import type { FieldDef } from '../../core/schema/types';

/** A wire value that cannot become the field's canonical type; `message` is shown after "Invalid <field>: ". */
export class FieldError extends Error {}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function isDateOnly(v: unknown): v is string {
  return typeof v === 'string' && DATE.test(v.trim());
}

export function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Canonical 'YYYY-MM-DD HH:MM:SS' (UTC) -> '2026-05-04T09:15:02.000Z'. */
export function isoOut(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  if (DATE.test(v)) return `${v}T00:00:00.000Z`;
  return `${v.slice(0, 10)}T${v.slice(11, 19)}.000Z`;
}

/** Any ISO date-time (or a date, read as midnight UTC) -> canonical UTC whole seconds. */
export function datetimeIn(v: unknown): string {
  if (typeof v !== 'string') throw new FieldError('expected an ISO 8601 date-time string');
  const s = v.trim();
  if (DATE.test(s)) {
    if (!validDate(s)) throw new FieldError('not a valid date');
    return `${s} 00:00:00`;
  }
  if (!ISO_PREFIX.test(s)) throw new FieldError('expected an ISO 8601 date-time string');
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s.replace(' ', 'T') : s.replace(' ', 'T') + 'Z';
  const t = Date.parse(zoned);
  if (Number.isNaN(t) || !validDate(s.slice(0, 10))) throw new FieldError('not a valid date-time');
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

export function dateIn(v: unknown): string {
  if (typeof v !== 'string') throw new FieldError('expected a date string YYYY-MM-DD');
  const s = v.trim().slice(0, 10);
  if (!validDate(s) || (v.trim().length > 10 && !ISO_PREFIX.test(v.trim()))) throw new FieldError('expected a date string YYYY-MM-DD');
  return s;
}

export function numberIn(v: unknown, integer: boolean): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n)) throw new FieldError(`expected ${integer ? 'an integer' : 'a number'}`);
  if (integer && !Number.isInteger(n)) throw new FieldError('expected an integer');
  if (integer && !Number.isSafeInteger(n)) throw new FieldError('integer out of range');
  return n;
}

export function idIn(v: unknown): number {
  const n = numberIn(v, true);
  if (n < 1 || !Number.isSafeInteger(n)) throw new FieldError('expected a positive integer id');
  return n;
}

export function boolIn(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  throw new FieldError('expected a boolean');
}

export function stringIn(v: unknown): string {
  // PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
  if (typeof v === 'string') { if (v.includes('\u0000')) throw new FieldError('NUL characters are not allowed'); return v; }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new FieldError('expected a string');
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The picklist's value that matches loosely, else the input verbatim (open picklists, R4). */
export function looseMatch(registry: Registry, picklist: string | undefined, value: string): string {
  const values = picklist ? registry.picklist(picklist)?.values ?? [] : [];
  if (values.includes(value)) return value;
  const key = squash(value);
  return values.find((p) => squash(p) === key) ?? value;
}

/** One wire value -> the canonical value of `f` (null stays null; R2 makes '' null). */
export function valueIn(registry: Registry, f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && v.trim() === '' && f.type !== 'links' && f.type !== 'multienum') return null;
  switch (f.type) {
    case 'int': return numberIn(v, true);
    case 'float': case 'currency': return numberIn(v, false);
    case 'link': case 'parent': return idIn(v);
    case 'links':
      if (!Array.isArray(v)) throw new FieldError('expected an array of ids');
      return [...new Set(v.map(idIn))];
    case 'bool': return boolIn(v);
    case 'date': return dateIn(v);
    case 'datetime': return datetimeIn(v);
    case 'enum': return looseMatch(registry, f.picklist, stringIn(v).trim());
    case 'multienum': {
      const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : undefined;
      if (!list) throw new FieldError('expected an array of strings');
      return list.map((x) => looseMatch(registry, f.picklist, stringIn(x).trim())).filter((x) => x !== '');
    }
    case 'email': {
      const s = stringIn(v).trim();
      if (!EMAIL.test(s)) throw new FieldError('expected an email address');
      return s;
    }
    default: {
      if (typeof v === 'object') throw new FieldError('expected a string');
      const s = stringIn(v);
      if (f.maxLength && s.length > f.maxLength) throw new FieldError(`String must contain at most ${f.maxLength} character(s)`);
      return s;
    }
  }
}

/** One canonical value -> its wire form. */
export function valueOut(f: FieldDef, v: unknown): unknown {
  if (v === undefined) return f.type === 'links' || f.type === 'multienum' ? [] : null;
  if (v === null) return f.type === 'links' ? [] : null;
  if (f.type === 'datetime') return isoOut(v);
  return v;
}

/** Types a `contains` / `starts_with` test makes sense on (and compiles the same on SQLite and PostgreSQL). */
export function isTextual(f: FieldDef): boolean {
  return ['string', 'text', 'email', 'phone', 'url', 'enum'].includes(f.type);
}
