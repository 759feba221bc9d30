// The react-admin fields that are not one canonical column (mapping.md §0.3, §2.2, §2.4, §2.6, §2.7, §4.3).
import type { Registry } from '../../core/schema/registry';
import type { EmailEntry, PhoneEntry, Rec, Where } from '../../core/types';
import { compare, filterError, filterValue, type FilterOp, plainField, type WireField } from './fields';
import { FieldError, idIn, isoOut, looseMatch, stringIn, valueIn, valueOut } from './values';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ----- Atomic's email_jsonb / phone_jsonb: the canonical lists, types Work | Home | Other --------------------

const EMAIL_TYPE_OUT: Record<string, string> = { work: 'Work', home: 'Home', '': 'Work' };
const PHONE_TYPE_OUT: Record<string, string> = { office: 'Work', home: 'Home' };
const TYPE_IN: Record<string, Record<string, string>> = {
  email: { work: 'work', home: 'home', other: 'other' },
  phone: { work: 'office', home: 'home', other: 'other' },
};

function typeOut(kind: 'email' | 'phone', t: string | null | undefined): string {
  return (kind === 'email' ? EMAIL_TYPE_OUT : PHONE_TYPE_OUT)[t ?? ''] ?? 'Other';
}

/** `email_jsonb` `[{email, type}]` or `phone_jsonb` `[{number, type}]`; R1 keeps a stored type that renders the same. */
export function contactListField(kind: 'email' | 'phone'): WireField {
  const list = kind === 'email' ? 'emails' : 'phones';
  const key = kind === 'email' ? 'email' : 'number';
  return {
    name: `${kind}_jsonb`,
    canonical: list,
    load: { contactPoints: true },
    read: (rec) => ((rec[list] as (EmailEntry | PhoneEntry)[] | undefined) ?? []).map((e) => ({
      [key]: kind === 'email' ? (e as EmailEntry).address : (e as PhoneEntry).number, type: typeOut(kind, e.type),
    })),
    write: (v, st) => {
      if (v === null) { st.patch[list] = []; return; }
      if (!Array.isArray(v)) throw new FieldError(`expected an array of {${key}, type}`);
      const before = (st.before?.[list] as (EmailEntry | PhoneEntry)[] | undefined) ?? [];
      st.patch[list] = v.map((item) => {
        if (!isObject(item)) throw new FieldError(`expected an array of {${key}, type}`);
        const value = stringIn(item[key] ?? '').trim();
        if (kind === 'email' && value && !/^[^\s@]+@[^\s@]+$/.test(value)) throw new FieldError('expected an email address');
        const wireType = item.type === undefined || item.type === null ? null : stringIn(item.type);
        const old = before.find((e) => (kind === 'email' ? (e as EmailEntry).address.toLowerCase() === value.toLowerCase() : (e as PhoneEntry).number === value));
        const type = old && (wireType === null || typeOut(kind, old.type) === wireType) ? old.type ?? null
          : wireType === null ? (kind === 'email' ? null : 'office') : TYPE_IN[kind][wireType.toLowerCase()] ?? 'other';
        const flags = old ? { opt_out: !!old.opt_out, invalid: !!old.invalid } : {};
        return kind === 'email' ? { address: value, type, ...flags } : { number: value, type, ...flags };
      }).filter((e) => ('address' in e ? e.address : e.number) !== '');
    },
    where: (op, value) => {
      if (op === 'isNull') return { field: list, op: 'isEmpty' };
      if (op === 'isNotNull') return { field: list, op: 'isNotEmpty' };
      if (typeof value !== 'string') throw filterError(`${kind}_jsonb`, 'expected a string');
      return { field: list, op, value };
    },
  };
}

// ----- tasks: `type` (kind + sub-type, §4.3), `done_date`, `deal_id` --------------------------------------

const KINDS = ['task', 'call', 'meeting', 'email', 'note'];
const TASK_TYPE_OUT: Record<string, string> = { Demo: 'demo', Lunch: 'lunch', 'Follow-up': 'follow-up', 'Thank-you': 'thank-you', Ship: 'ship' };
const DONE_STATUS = (kind: unknown) => (kind === 'call' || kind === 'meeting' ? 'Held' : 'Completed');
const OPEN_STATUS = (kind: unknown) => (kind === 'call' || kind === 'meeting' ? 'Planned' : 'Not Started');

/** The task types a react-admin app offers: `none`, the kinds, then the sub-types through the map (§4.3). */
export function taskTypeChoices(registry: Registry): string[] {
  const subs = (registry.picklist(registry.field('activity', 'type')?.picklist ?? '')?.values ?? []).map((t) => TASK_TYPE_OUT[t] ?? t);
  return ['none', ...KINDS.filter((k) => k !== 'task'), ...subs];
}

/** What a written task `type` means: a kind label, nothing (`none`), or a sub-type of a task. */
function taskTypeIn(registry: Registry, v: unknown): { kind: string; type: string | null } {
  if (v === null || v === undefined) return { kind: 'task', type: null };
  const s = stringIn(v).trim();
  if (s === '' || s.toLowerCase() === 'none') return { kind: 'task', type: null };
  if (KINDS.includes(s.toLowerCase())) return { kind: s.toLowerCase(), type: null };
  return { kind: 'task', type: looseMatch(registry, registry.field('activity', 'type')?.picklist, s) };
}

export function taskTypeField(registry: Registry): WireField {
  const typeWhere = (v: unknown): Where => {
    const t = filterValue('type', () => taskTypeIn(registry, v));
    return t.type === null
      ? { and: [{ field: 'type', op: 'isNull' }, { field: 'kind', op: 'eq', value: t.kind }] }
      : { field: 'type', op: 'eq', value: t.type };
  };
  return {
    name: 'type',
    canonical: 'type',
    read: (rec) => {
      const t = rec.type as string | null | undefined;
      if (t) return TASK_TYPE_OUT[t] ?? t;
      return rec.kind && rec.kind !== 'task' ? rec.kind : null;
    },
    write: (v, st) => {
      const t = taskTypeIn(registry, v);
      st.patch.kind = t.kind;
      st.patch.type = t.type;
    },
    where: (op, value) => {
      switch (op) {
        case 'eq': return Array.isArray(value) ? { or: value.map(typeWhere) } : typeWhere(value);
        case 'ne': return { not: Array.isArray(value) ? { or: value.map(typeWhere) } : typeWhere(value) };
        case 'isNull': return typeWhere(null);
        case 'isNotNull': return { not: typeWhere(null) };
        case 'contains': case 'notContains': case 'startsWith':
          return { field: 'type', op, value: filterValue('type', () => stringIn(value)) };
        default: throw filterError('type', `'${op}' does not apply`);
      }
    },
    sort: 'type',
  };
}

/** `done_date` = date_completed; writing a date completes the task at that date, writing null reopens it (§4.3). */
export function doneDateField(registry: Registry): WireField | undefined {
  const base = plainField(registry, 'activity', 'done_date', 'date_completed');
  if (!base) return undefined;
  return {
    ...base,
    write: (v, st) => {
      const kind = st.patch.kind ?? st.before?.kind ?? 'task';
      if (v !== null && v !== undefined && v !== '') {
        st.patch.date_completed = valueIn(registry, registry.field('activity', 'date_completed')!, v);
        st.patch.status = DONE_STATUS(kind);
      } else if (st.before?.date_completed) {
        st.patch.status = OPEN_STATUS(kind);
      }
    },
  };
}

/**
 * A parent link seen as one typed id: tasks `deal_id` (parent_type opportunity), and the note resources'
 * `contact_id` / `deal_id` / `company_id` (there the resource scope already fixes parent_type).
 */
export function parentIdField(registry: Registry, entity: string, wire: string, parentType: string, opts: { scoped?: boolean; required?: boolean } = {}): WireField | undefined {
  const f = registry.field(entity, 'parent_id');
  if (!f) return undefined;
  const isMine = (rec: Rec) => opts.scoped || rec.parent_type === parentType;
  const typed = (w: Where): Where => (opts.scoped ? w : { and: [{ field: 'parent_type', op: 'eq', value: parentType }, w] });
  return {
    name: wire,
    canonical: 'parent_id',
    required: opts.required,
    read: (rec) => (isMine(rec) ? (rec.parent_id as number | null) ?? null : null),
    write: (v, st) => {
      const id = v === null || v === undefined || v === '' ? null : idIn(v);
      if (id !== null) { st.patch.parent_id = id; st.patch.parent_type = parentType; return; }
      if (st.creating || !st.before || isMine(st.before)) { st.patch.parent_id = null; if (!opts.scoped) st.patch.parent_type = null; }
    },
    where: (op: FilterOp, value: unknown) => {
      if (op === 'isNull' || (op === 'eq' && value === null)) return { not: typed({ field: 'parent_id', op: 'isNotNull' }) };
      if (op === 'isNotNull' || (op === 'ne' && value === null)) return typed({ field: 'parent_id', op: 'isNotNull' });
      if (op === 'ne') return { not: typed(compare(wire, f, 'eq', value, idIn)) };
      return typed(compare(wire, f, op, value, idIn));
    },
    sort: 'parent_id',
  };
}

// ----- JSON kept in a text column: note attachments, automation workflow definitions --------------------

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try { return JSON.parse(v); } catch { return v; }
}

/** Note `attachments`: canonical `[{url, name, type}]`; Atomic's `{src, title}` accepted. */
export function attachmentsField(): WireField {
  return {
    name: 'attachments',
    canonical: 'attachments',
    read: (rec) => { const a = parseJson(rec.attachments); return Array.isArray(a) ? a : []; },
    write: (v, st) => {
      if (v === null || (Array.isArray(v) && v.length === 0)) { st.patch.attachments = null; return; }
      if (!Array.isArray(v)) throw new FieldError('expected an array of {url, name?, type?}');
      st.patch.attachments = JSON.stringify(v.map((a) => {
        if (!isObject(a)) throw new FieldError('expected an array of {url, name?, type?}');
        const url = a.url ?? a.src;
        if (typeof url !== 'string' || url === '') throw new FieldError('each attachment needs a url');
        const name = a.name ?? a.title ?? null;
        return { url, name: name === null ? null : stringIn(name), type: a.type === undefined || a.type === null ? null : stringIn(a.type) };
      }));
    },
  };
}

/** Any JSON value stored as text (automation_rules `workflow_definition`, configuration `config`). */
export function jsonField(name: string, canonical = name): WireField {
  return {
    name,
    canonical,
    read: (rec) => parseJson(rec[canonical]),
    write: (v, st) => { st.patch[canonical] = v === null || v === undefined ? null : JSON.stringify(v); },
  };
}

/** Note `date`: defaults to the creation time on read (§2.7). */
export function noteDateField(registry: Registry): WireField | undefined {
  const base = plainField(registry, 'note', 'date');
  if (!base) return undefined;
  return { ...base, read: (rec) => isoOut(rec.date ?? rec.created_at) };
}

/** BasicsOS `custom_fields`: the entity's run-time fields as one object (they also render top-level, §3.2). */
export function customFieldsField(registry: Registry, entity: string): WireField {
  const custom = () => registry.fields(entity).filter((f) => f.custom && f.type !== 'links');
  return {
    name: 'custom_fields',
    read: (rec) => Object.fromEntries(custom().map((f) => [f.name, valueOut(f, rec[f.name])])),
    write: (v, st) => {
      if (v === null) return;
      if (!isObject(v)) throw new FieldError('expected an object');
      for (const f of custom()) {
        if (f.name in v) st.patch[f.name] = valueIn(registry, f, v[f.name]);
      }
    },
  };
}

/** deals `archived_at` = deleted_at: a date archives the deal, null restores it (Atomic archives by update). */
export function archivedAtField(registry: Registry): WireField | undefined {
  const base = plainField(registry, 'opportunity', 'archived_at', 'deleted_at', { readonly: true });
  if (!base) return undefined;
  return { ...base, write: (v, st) => { st.archive = !(v === null || v === undefined || v === ''); } };
}
