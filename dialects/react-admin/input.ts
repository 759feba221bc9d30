// A react-admin request body -> a canonical patch (react-admin.md §3.4, §5; mapping.md §0.2).
// Keys in snake_case or camelCase; unknown and read-only keys ignored (R5, R7); on update a key equal to the
// current rendering is dropped first (R1), so react-admin's Edit can PUT the whole record back; aliases (R6):
// the first-listed name wins. Typed and required fields are checked here and answered in wire names.
import type { Patch, Rec } from '../../core/types';
import type { WireField, WriteState } from './fields';
import { type Resource, snakeKey } from './names';
import { renderRecord, validationFailed, WireError } from './render';
import { FieldError } from './values';

export interface BodyInput {
  patch: Patch;
  /** deals `archived_at`: true = archive after writing, false = restore before writing, undefined = leave. */
  archive?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values, object key order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameJson(a[k], b[k]));
  }
  return false;
}

/** Body keys by wire name: snake_case as given wins over a camelCase spelling of the same field. */
function byWireName(res: Resource, body: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(body)) if (res.byName.has(k) && v !== undefined) out.set(k, v);
  for (const [k, v] of Object.entries(body)) {
    const snake = snakeKey(k);
    if (v !== undefined && !out.has(snake) && res.byName.has(snake)) out.set(snake, v);
  }
  return out;
}

function emptyValue(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Reads a create (`before` undefined) or update body. Throws the 400 of §3.7 in wire names. */
export function readBody(res: Resource, body: unknown, before?: Rec): BodyInput {
  const creating = !before;
  if (!isObject(body)) throw new WireError(400, 'Invalid JSON body', 'VALIDATION_FAILED');
  const given = byWireName(res, body);
  const writable = res.fields.filter((f) => f.write && given.has(f.name));
  if (!writable.length) throw new WireError(400, `No writable fields to ${creating ? 'create' : 'update'}`, 'VALIDATION_FAILED');
  const current = before ? renderRecord(res, before) : undefined;
  const st: WriteState = { patch: {}, before, creating };
  const errors: Record<string, string> = {};
  const written = new Set<string>();
  for (const f of writable) {
    const v = given.get(f.name);
    if (current && sameJson(v, current[f.name])) continue; // R1
    if (f.alias && f.canonical && written.has(f.canonical)) continue; // R6: the first-listed name won
    try {
      f.write!(v, st);
      if (f.canonical) written.add(f.canonical);
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      errors[f.name] = e.message.charAt(0).toUpperCase() + e.message.slice(1);
    }
    if (f.required && emptyValue(v) && !errors[f.name]) {
      errors[f.name] = typeof v === 'string' ? 'String must contain at least 1 character(s)' : 'Required';
    }
  }
  if (creating) for (const f of res.fields) checkRequired(f, given, st, errors);
  if (Object.keys(errors).length) throw validationFailed(errors);
  const patch = creating && res.createDefaults ? { ...res.createDefaults, ...st.patch } : st.patch;
  return { patch, archive: st.archive };
}

function checkRequired(f: WireField, given: Map<string, unknown>, st: WriteState, errors: Record<string, string>): void {
  if (!f.required || errors[f.name] || !f.canonical) return;
  if (emptyValue(st.patch[f.canonical])) errors[f.name] = given.has(f.name) && typeof given.get(f.name) === 'string' ? 'String must contain at least 1 character(s)' : 'Required';
}
