// One react-admin wire field: how it reads from a core record, writes into a canonical patch, filters and sorts.
// Plain fields follow their canonical field type (values.ts); the few odd ones (Atomic's email/phone lists, task
// `type`, `done_date`, `deal_id`, note parents, counts) are built in fields-special.ts.
import type { Registry } from '../../core/schema/registry';
import { isSlotOnly } from '../../core/schema/registry';
import type { FieldDef } from '../../core/schema/types';
import type { Patch, Rec, Where } from '../../core/types';
import { BadRequestError } from '../../core/errors';
import { FieldError, idIn, isDateOnly, isTextual, stringIn, valueIn, valueOut } from './values';

export type FilterOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'notContains' | 'startsWith'
  | 'isNull' | 'isNotNull';

/** What a write sees: the canonical patch built so far and the record before (undefined on create). */
export interface WriteState {
  patch: Patch;
  before?: Rec;
  creating: boolean;
  /** deals `archived_at`: true archives after the write, false restores before it. */
  archive?: boolean;
}

/** Extra loads a field needs from core.find (one batched query each for the whole page). */
export interface Load { names?: string[]; links?: string[]; contactPoints?: boolean }

export interface WireField {
  name: string;                                    // wire name, snake_case
  canonical?: string;                              // the canonical field behind it (messages, R6 aliases)
  read(rec: Rec): unknown;
  write?(value: unknown, st: WriteState): void;    // absent: read-only, ignored on input (R5)
  where?(op: FilterOp, value: unknown): Where;     // absent: not filterable (the key is ignored)
  sort?: string;                                   // canonical column to sort by; absent: not sortable
  search?: (text: string) => Where;                // q: this field's part of the full-text OR
  required?: boolean;                              // this CRM's own rule on create (R3)
  alias?: boolean;                                 // R6 second name: rendered; written only if the main did not
  load?: Load;
}

export interface PlainOptions {
  required?: boolean;
  readonly?: boolean;
  alias?: boolean;
  /** q searches this field: true = the field itself, a string = that (pseudo) field, e.g. `emails`. */
  search?: boolean | string;
  /** Wire -> canonical for enum maps (deal stages, categories); runs before the type check. */
  mapIn?: (v: unknown) => unknown;
  mapOut?: (v: unknown) => unknown;
}

export const TRUE: Where = { and: [] };

export function filterError(wire: string, message: string): BadRequestError {
  return new BadRequestError(`Invalid filter value for '${wire}': ${message}`, 'filter');
}

/** Runs a value conversion for a filter; a FieldError becomes the 400 of a bad filter value. */
export function filterValue<T>(wire: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FieldError) throw filterError(wire, e.message);
    throw e;
  }
}

function dayBounds(day: string): [string, string] {
  return [`${day} 00:00:00`, `${day} 23:59:59`];
}

/** The standard comparison of one canonical field; `conv` turns one wire operand into a canonical one. */
export function compare(wire: string, f: FieldDef, op: FilterOp, value: unknown, conv: (v: unknown) => unknown): Where {
  const field = f.name;
  const one = (v: unknown) => filterValue(wire, () => conv(v));
  switch (op) {
    case 'isNull': return { field, op: 'isNull' };
    case 'isNotNull': return { field, op: 'isNotNull' };
    case 'contains': case 'notContains': case 'startsWith': {
      if (!isTextual(f)) throw filterError(wire, `'${op}' applies to text fields only`);
      const text = filterValue(wire, () => stringIn(value));
      return { field, op, value: text };
    }
    default: break;
  }
  if (value === null || value === undefined) {
    if (op === 'eq') return { field, op: 'isNull' };
    if (op === 'ne') return { field, op: 'isNotNull' };
    throw filterError(wire, 'a value is required');
  }
  if (f.type === 'links') {
    if (op !== 'eq' && op !== 'ne') throw filterError(wire, `'${op}' does not apply to a list of ids`);
    const ids = (Array.isArray(value) ? value : [value]).map((v) => filterValue(wire, () => idIn(v)));
    return { field, op: op === 'eq' ? 'in' : 'nin', value: ids };
  }
  if (Array.isArray(value) && f.type !== 'multienum') {
    if (op !== 'eq' && op !== 'ne') throw filterError(wire, 'a single value is expected');
    return { field, op: op === 'eq' ? 'in' : 'nin', value: value.map(one) };
  }
  if (f.type === 'multienum') {
    const vals = [one(value)].flat();
    if (op === 'eq') return { field, op: 'hasAny', value: vals };
    if (op === 'ne') return { field, op: 'hasNone', value: vals };
    throw filterError(wire, `'${op}' does not apply to a list`);
  }
  if (f.type === 'datetime' && isDateOnly(value)) {
    // A date-only operand on a datetime covers that whole day (mapping.md C10).
    const [from, to] = dayBounds(filterValue(wire, () => String(conv(value)).slice(0, 10)));
    switch (op) {
      case 'eq': return { field, op: 'between', value: [from, to] };
      case 'ne': return { not: { field, op: 'between', value: [from, to] } };
      case 'gt': return { field, op: 'gt', value: to };
      case 'gte': return { field, op: 'gte', value: from };
      case 'lt': return { field, op: 'lt', value: from };
      case 'lte': return { field, op: 'lte', value: to };
    }
  }
  return { field, op, value: one(value) };
}

/** A wire field that is one canonical field, converted by its type (and by `mapIn`/`mapOut` for enum maps). */
export function plainField(registry: Registry, entity: string, wire: string, canonical = wire, opts: PlainOptions = {}): WireField | undefined {
  const def = registry.entity(entity);
  const f = def?.fields[canonical];
  if (!def || !f) return undefined;
  const conv = (v: unknown) => valueIn(registry, f, opts.mapIn ? opts.mapIn(v) : v);
  const writable = !opts.readonly && (!f.readonly || canonical === 'assigned_user_id');
  const slotOnly = isSlotOnly(def, canonical);
  const field: WireField = {
    name: wire,
    canonical,
    read: (rec) => (opts.mapOut ? opts.mapOut(rec[canonical]) : valueOut(f, rec[canonical])),
    where: (op, value) => compare(wire, f, op, value, conv),
    sort: f.type === 'links' || slotOnly ? undefined : canonical,
    required: opts.required,
    alias: opts.alias,
  };
  if (writable) field.write = (v, st) => { st.patch[canonical] = conv(v); };
  if (f.type === 'links') field.load = { links: [canonical] };
  if (slotOnly) field.load = { contactPoints: true };
  if (opts.search) {
    const target = typeof opts.search === 'string' ? opts.search : canonical;
    field.search = (text) => ({ field: target, op: 'contains', value: text });
  }
  return field;
}

/** A read-only field computed from the record (joined names, derived values). */
export function computedField(name: string, read: (rec: Rec) => unknown, load?: Load): WireField {
  return { name, read, load };
}
