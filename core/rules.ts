// Business rules that every dialect shares (mapping.md §2, §4): derived names, stage probability,
// completion and closing stamps, currency codes. They turn a patch into the full set of column changes.
import type { EntityDef } from './schema/types';
import { nowStamp } from './store/rows';

export const BASE_CURRENCY = 'USD';

export const STAGE_PROBABILITY: Record<string, number> = {
  Prospecting: 10, Qualification: 20, 'Needs Analysis': 25, 'Value Proposition': 30, 'Id. Decision Makers': 40,
  'Perception Analysis': 45, Proposal: 50, Negotiation: 80, 'Closed Won': 100, 'Closed Lost': 0, Delayed: 10,
};
const DONE_STATUSES = ['Completed', 'Held'];
const CLOSED_CASE = ['Closed', 'Rejected', 'Duplicate'];

export function personName(first: unknown, last: unknown): string | null {
  const n = [first, last].filter((x) => typeof x === 'string' && x.trim() !== '').join(' ').trim();
  return n === '' ? null : n;
}

/** R2: empty or white-space strings are NULL, whoever writes them. */
export function emptyToNull(patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) out[k] = typeof v === 'string' && v.trim() === '' ? null : v;
  return out;
}

/** Adds the derived changes to `changes` given the record before (undefined on create). */
export function applyRules(def: EntityDef, before: Record<string, unknown> | undefined, changes: Record<string, unknown>): void {
  // The record after the change, read through (a copy of a whole record per write costs more than the rules).
  const after = new Proxy({} as Record<string, unknown>, { get: (_t, k: string) => (k in changes ? changes[k] : before?.[k]) });
  const changed = (f: string) => f in changes && changes[f] !== before?.[f];
  if (def.person && (changed('first_name') || changed('last_name') || !before)) {
    changes.name = personName(after.first_name, after.last_name);
  }
  for (const name of currencyFields(def)) {
    const code = `${name}_currency`;
    if ((name in changes || code in changes || !before) && after[name] !== null && after[name] !== undefined && !after[code]) changes[code] = BASE_CURRENCY;
  }
  if (def.name === 'opportunity') {
    const stageChanged = changed('stage') || !before;
    if (stageChanged && !('probability' in changes && changes.probability !== null)) {
      if (!before || changed('stage') || after.probability === null) {
        const stage = after.stage as string | null;
        changes.probability = stage === null || stage === undefined ? null : STAGE_PROBABILITY[stage] ?? 0;
      }
    }
  }
  if (def.name === 'activity' && !before) {
    // Defaults that depend on the kind (mapping.md §4.3).
    const timed = after.kind === 'call' || after.kind === 'meeting';
    if (after.status === null || after.status === undefined) changes.status = timed ? 'Planned' : 'Not Started';
    if (after.kind === 'call' && def.fields.direction && (after.direction === null || after.direction === undefined)) changes.direction = 'Outbound';
  }
  if (def.fields.duration && (changed('date_start') || changed('date_end'))) {
    changes.duration = secondsBetween(after.date_start, after.date_end);
  }
  if (def.name === 'activity' && changed('status')) {
    const done = DONE_STATUSES.includes(String(after.status));
    if (done && !after.date_completed) changes.date_completed = nowStamp();
    if (!done && before?.date_completed) changes.date_completed = null;
  }
  if (def.name === 'case' && def.fields.closed_at && changed('status')) {
    const closed = CLOSED_CASE.includes(String(after.status));
    if (closed && !after.closed_at) changes.closed_at = nowStamp();
    if (!closed && before?.closed_at) changes.closed_at = null;
  }
}

/**
 * A fact about an entity's fields, computed once per fields object (a run-time field gives the entity a new one,
 * so the fact is computed again). `args` are read only when it is computed.
 */
function perFields<T, A extends unknown[]>(compute: (def: EntityDef, ...args: A) => T): (def: EntityDef, ...args: A) => T {
  const cache = new WeakMap<EntityDef['fields'], T>();
  return (def, ...args) => {
    if (!cache.has(def.fields)) cache.set(def.fields, compute(def, ...args));
    return cache.get(def.fields)!;
  };
}

/** Currency fields that have a `<field>_currency` sibling. */
const currencyFields = perFields((def) =>
  Object.values(def.fields).filter((f) => f.type === 'currency' && !!def.fields[`${f.name}_currency`]).map((f) => f.name));

function secondsBetween(start: unknown, end: unknown): number | null {
  if (typeof start !== 'string' || typeof end !== 'string') return null;
  const ms = Date.parse(end.replace(' ', 'T') + 'Z') - Date.parse(start.replace(' ', 'T') + 'Z');
  return Number.isFinite(ms) ? Math.round(ms / 1000) : null;
}

/** Fields that default to the record's creation time (mapping.md §2.7 note `date`, §2.8 case `opened_at`). */
const CREATION_TIME: Record<string, string> = { case: 'opened_at', note: 'date' };

/** On create: a creation-time field not given takes the record's `created_at`. */
export function applyCreationTime(def: EntityDef, row: Record<string, unknown>): void {
  const field = CREATION_TIME[def.name];
  if (field && def.fields[field] && (row[field] === undefined || row[field] === null)) row[field] = row.created_at;
}

/** Field and picklist defaults for what a new record leaves empty. */
export function applyDefaults(def: EntityDef, values: Record<string, unknown>, picklistDefault: (name: string) => string | undefined): void {
  for (const [name, d] of fieldDefaults(def, picklistDefault)) if (values[name] === undefined || values[name] === null) values[name] = d;
}

const fieldDefaults = perFields((def, picklistDefault: (name: string) => string | undefined) => {
  const list: [string, unknown][] = [];
  for (const f of Object.values(def.fields)) {
    const d = f.default !== undefined ? f.default : f.type === 'enum' && f.picklist && !f.readonly ? picklistDefault(f.picklist) : undefined;
    if (d !== undefined) list.push([f.name, d]);
  }
  return list;
});
