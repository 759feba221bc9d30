// An EspoCRM attribute map (create / update body) -> a canonical patch, with EspoCRM's own rules at this edge
// (mapping.md R1, R3, C1, C22; espocrm.md §3, §6, §7): unknown and read-only attributes are dropped, a value equal
// to the stored one is a no-op, enums are strict, datetimes exactly 'YYYY-MM-DD HH:MM:SS', ids are 17-hex.
import type { Registry } from '../../core/schema/registry';
import type { FieldDef } from '../../core/schema/types';
import type { Patch, PhoneEntry, Rec } from '../../core/types';
import { normalizeDate } from './dates';
import { attributeNames, fromEspoValue, parseEspoId } from './names';
import { renderRecord } from './render';
import type { EspoTarget } from './target';
import { EspoValidationError } from './errors';
import { validationField } from './validation-field';
import { EMAIL, FLAGS, applyFlags, emailList, phoneList } from './contact-input';
import { readLinkColumns } from './columns';
import { ALL_DAY_TYPES, DATE_ATTRIBUTES, applyAllDay } from './all-day';

/** EspoCRM's required attributes per entity type (mapping.md §5 C1), in its field-definition order. */
export const REQUIRED: Record<string, string[]> = {
  Account: ['name'], Contact: ['lastName'], Opportunity: ['name', 'amount', 'closeDate'], Case: ['name'],
  Task: ['name', 'assignedUserId'], Call: ['name', 'dateStart', 'dateEnd', 'assignedUserId'],
  Meeting: ['name', 'dateStart', 'dateEnd', 'assignedUserId'], Document: ['name', 'fileId', 'publishDate'],
  Email: ['name', 'to'], Campaign: ['name'], User: ['userName', 'lastName'],
};
/** The type of a new phone number (EspoCRM's `defaultType`); others: office. */
const PHONE_TYPE: Record<string, string> = { Contact: 'mobile', Lead: 'mobile' };
/** Bounds EspoCRM has and the canonical schema does not. */
const MIN: Record<string, Record<string, number>> = { Opportunity: { amount: 0 } };

export const IGNORED = new Set(['id', 'deleted', 'createdAt', 'modifiedAt', 'createdById', 'createdByName',
  'modifiedById', 'modifiedByName', 'versionNumber', 'streamUpdatedAt', '_skipDuplicateCheck']);
const DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;
/** EspoCRM's id pattern (app.regExpPatterns.id), which a file field's id must match. */
const ID_PATTERN = /^[A-Za-z0-9_=\-.]+$/;
/** A value that fails a rule (`valid` unless said otherwise). */
class Fail { constructor(readonly rule = 'valid') {} }
const INVALID = new Fail();
type Issue = { attribute: string; type: string; order: number };

export interface ReadOptions {
  creating: boolean;
  /** The stored record on update: R1 compares against its rendering; enums accept its value. */
  before?: Rec;
  /** Enforce EspoCRM's required attributes (default: when creating). */
  required?: boolean;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function num(v: unknown, integer: boolean): number | Fail {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return INVALID;
  return n;
}

/** One attribute value -> the canonical value of `f`, or a Fail. */
function convert(registry: Registry, entity: string, f: FieldDef, v: unknown, stored: unknown): unknown {
  if (isEmpty(v)) return f.type === 'links' || f.type === 'multienum' ? (v === null || v === '' ? [] : INVALID) : null;
  switch (f.type) {
    case 'int': return num(v, true);
    case 'float': case 'currency': return num(v, false);
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 1 || v === '1' || v === 'true') return true;
      if (v === 0 || v === '0' || v === 'false') return false;
      return INVALID;
    case 'date': return normalizeDate(v) ?? INVALID;
    case 'datetime': {
      const m = typeof v === 'string' ? DATETIME.exec(v) : null;
      if (!m || !normalizeDate(m[1]) || +m[2] > 23 || +m[3] > 59 || +(m[4] ?? 0) > 59) return INVALID;
      return `${m[1]} ${m[2]}:${m[3]}:${m[4] ?? '00'}`;
    }
    case 'link': case 'parent': return parseEspoId(v) ?? INVALID;
    case 'links': {
      if (!Array.isArray(v)) return INVALID;
      const ids = v.map(parseEspoId);
      return ids.every((x) => x !== undefined) ? ids : INVALID;
    }
    case 'enum': {
      if (typeof v !== 'string') return INVALID;
      const value = fromEspoValue(registry, entity, f.name, v);
      const options = f.picklist ? registry.picklist(f.picklist)?.values ?? [] : [];
      return options.includes(value as string) || value === stored ? value : INVALID;
    }
    case 'multienum': {
      const options = f.picklist ? registry.picklist(f.picklist)?.values ?? [] : [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && options.includes(x))) return same(v, stored) ? v : INVALID;
      return v;
    }
    case 'email':
      if (typeof v !== 'string') return INVALID;
      return EMAIL.test(v.trim()) ? v.trim() : new Fail('emailAddress');
    default:
      if (typeof v !== 'string' && typeof v !== 'number') return INVALID;
      if (f.name.endsWith('_type') && registry.field(entity, f.name.replace(/_type$/, '_id'))?.type === 'parent') {
        const t = fromEspoValue(registry, entity, f.name, String(v)) as string;
        const parent = registry.field(entity, f.name.replace(/_type$/, '_id'));
        return parent?.parentTypes && !parent.parentTypes.includes(t) ? INVALID : t;
      }
      if (f.maxLength && String(v).length > f.maxLength) return new Fail('maxLength');
      return String(v);
  }
}

/**
 * The stored record as EspoCRM shows it, for R1 (a value equal to its rendering is no change). A small body is
 * compared through its own attributes only: rendering the whole record costs more than the rest of an update.
 */
function storedRendering(registry: Registry, target: EspoTarget, names: ReturnType<typeof attributeNames>, before: Rec,
  body: Record<string, unknown>): Record<string, unknown> {
  const attrs = Object.keys(body);
  const select = attrs.map((a) => names.attributes.get(a)).filter((f): f is string => !!f);
  const known = select.length === attrs.filter((a) => !IGNORED.has(a)).length;
  if (!known || attrs.length > 8) return renderRecord(registry, target.entity, before, { full: true, kind: target.kind });
  return renderRecord(registry, target.entity, before, { full: true, kind: target.kind, select: [...new Set(select)].sort() });
}

/** The canonical patch of an Espo attribute map; throws EspoValidationError for the first failing attribute. */
export function readAttributes(registry: Registry, target: EspoTarget, body: Record<string, unknown>, opts: ReadOptions): Patch {
  const { entity, kind, type } = target;
  const def = registry.entity(entity)!;
  const names = attributeNames(registry, entity, kind);
  const stored = opts.before ? storedRendering(registry, target, names, opts.before, body) : undefined;
  const required = REQUIRED[type] ?? [];
  const order = (attr: string) => (required.includes(attr) ? required.indexOf(attr) : 100);
  const issues: Issue[] = [];
  const fail = (attribute: string, rule: string) => issues.push({ attribute, type: rule, order: order(attribute) });
  const patch: Patch = {};
  const flags: [string, string, boolean][] = [];
  const columns: [string, unknown][] = [];
  const dates: Record<string, unknown> = {};
  const phoneType = PHONE_TYPE[type] ?? 'office';
  for (const [attr, value] of Object.entries(body)) {
    if (IGNORED.has(attr) || (stored && attr in stored && same(stored[attr], value))) continue;
    if (attr === 'emailAddressData' && def.emails) {
      const list = emailList(value);
      if (typeof list === 'string') fail('emailAddress', list); else patch.emails = list;
      continue;
    }
    if (attr === 'phoneNumberData' && def.phones) {
      const list = phoneList(value, phoneType);
      if (typeof list === 'string') fail('phoneNumber', list); else patch.phones = list;
      continue;
    }
    if (FLAGS[attr] && def[FLAGS[attr][0]]) { flags.push([...FLAGS[attr], value === true]); continue; }
    if (attr.endsWith('Columns')) { columns.push([attr, value]); continue; }
    if (attr in DATE_ATTRIBUTES && ALL_DAY_TYPES.has(type)) { dates[attr] = value; continue; }
    const field = names.attributes.get(attr);
    const f = field ? def.fields[field] : undefined;
    if (!field || !f) continue;
    if (f.readonly && field !== 'assigned_user_id') {
      if (field === 'name' && def.person && typeof value === 'string') splitName(value, body, patch);
      continue;
    }
    const v = convert(registry, entity, f, value, opts.before?.[field]);
    if (v instanceof Fail) fail(attr, v.rule);
    else {
      const min = MIN[type]?.[attr] ?? f.min;
      if (typeof v === 'number' && min !== undefined && v < min) fail(attr, 'min');
      else if (typeof v === 'number' && f.max !== undefined && v > f.max) fail(attr, 'max');
      else if (attr === 'fileId' && typeof v === 'string' && !ID_PATTERN.test(v)) fail(attr, 'pattern');
      else patch[field] = v;
    }
  }
  const badColumns = columns.length ? readLinkColumns(registry, target, body, columns, patch, opts.before) : undefined;
  if (badColumns) fail(badColumns, 'columnsValid');
  const badDate = ALL_DAY_TYPES.has(type) ? applyAllDay(dates, patch, opts.before) : undefined;
  if (badDate) fail(badDate, 'valid');
  if (flags.length) applyFlags(patch, opts.before, flags, phoneType);
  // A first number written through the slot takes EspoCRM's default type for the entity (mapping.md §0.3).
  const phones = opts.before?.phones as PhoneEntry[] | undefined;
  if (typeof patch.phone === 'string' && !Array.isArray(patch.phones) && !phones?.length) {
    patch.phones = [{ number: patch.phone, type: phoneType, opt_out: false, invalid: false }];
    delete patch.phone;
  }
  const all = opts.required ?? opts.creating;
  for (const attr of required) {
    const field = names.attributes.get(attr);
    if (!field || issues.some((i) => i.attribute === attr)) continue;
    if (isEmpty(patch[field]) && (all || field in patch)) fail(attr, 'required');
  }
  if (issues.length) {
    const first = issues.reduce((a, b) => (b.order < a.order ? b : a));
    throw new EspoValidationError(type, validationField(registry, entity, kind, first.attribute), first.type);
  }
  return patch;
}

/** C3: a person's full `name` alone is split at the last space (last word -> last name). */
function splitName(name: string, body: Record<string, unknown>, patch: Patch): void {
  if ('firstName' in body || 'lastName' in body || !name.trim()) return;
  const t = name.trim();
  const i = t.lastIndexOf(' ');
  patch.first_name = i < 0 ? null : t.slice(0, i);
  patch.last_name = i < 0 ? t : t.slice(i + 1);
}
