// Relation column values (role, is_inactive, status) written with a record: the `$columns` key of a patch, shaped as
// Rec.$columns ({field: {targetId: {role, is_inactive, status}}}). A new link takes its values when it is added; an
// existing link's row is updated only where a value changes.
import type { EntityDef } from '../schema/types';
import type { Id, LinkColumns, Rec } from '../types';
import { ValidationError, ValidationIssue } from '../errors';
import type { Db } from './db';
import { LINK_TABLE } from './tables';

export const LINK_COLUMNS_KEY = '$columns';

/** Per links field, per target id (as a string key): the column values to write. */
export type ColumnsPatch = Record<string, Record<string, LinkColumns>>;

const COLUMN_TYPES: Record<string, 'string' | 'boolean'> = { role: 'string', is_inactive: 'boolean', status: 'string' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `$columns` of a patch, checked: links fields that keep those columns, positive ids, typed values (R2 applies). */
export function readColumnsPatch(def: EntityDef, raw: unknown): ColumnsPatch {
  const issues: ValidationIssue[] = [];
  const out: ColumnsPatch = {};
  if (!isObject(raw)) throw new ValidationError(def.name, [{ field: LINK_COLUMNS_KEY, rule: 'type' }]);
  for (const [field, byTarget] of Object.entries(raw)) {
    const f = def.fields[field];
    if (f?.type !== 'links' || !f.columns?.length) { issues.push({ field, rule: 'unknownField' }); continue; }
    if (!isObject(byTarget)) { issues.push({ field, rule: 'type' }); continue; }
    for (const [target, cols] of Object.entries(byTarget)) {
      if (!/^[1-9]\d{0,15}$/.test(target) || !isObject(cols)) { issues.push({ field, rule: 'valid' }); continue; }
      const values: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(cols)) {
        const value = typeof v === 'string' && v.trim() === '' ? null : v;
        if (!f.columns.includes(name) || (value !== null && typeof value !== COLUMN_TYPES[name])) {
          issues.push({ field, rule: 'valid', message: `column '${name}'` });
        } else values[name] = value;
      }
      (out[field] ??= {})[target] = values as LinkColumns;
    }
  }
  if (issues.length) throw new ValidationError(def.name, issues);
  return out;
}

/** The links of `before` that stay linked and whose column values the patch changes, with their full new values. */
export function changedColumns(before: Rec, patch: ColumnsPatch, idsAfter: (field: string) => Id[]): ColumnsPatch {
  const out: ColumnsPatch = {};
  for (const [field, byTarget] of Object.entries(patch)) {
    const had = new Set((before[field] as Id[] | undefined) ?? []);
    const keeps = new Set(idsAfter(field));
    for (const [target, cols] of Object.entries(byTarget)) {
      if (!had.has(Number(target)) || !keeps.has(Number(target))) continue;
      const cur: LinkColumns = before.$columns?.[field]?.[target] ?? {};
      const next: LinkColumns = { ...cur, ...cols };
      const differs = Object.keys(COLUMN_TYPES).some((c) => (cur[c as keyof LinkColumns] ?? null) !== (next[c as keyof LinkColumns] ?? null));
      if (differs) (out[field] ??= {})[target] = next;
    }
  }
  return out;
}

/** `$columns` of a record after `changed` (full values per target, as changedColumns gives them). */
export function mergeColumns(current: Rec['$columns'], changed: ColumnsPatch): NonNullable<Rec['$columns']> {
  const out: NonNullable<Rec['$columns']> = { ...current };
  for (const [field, byTarget] of Object.entries(changed)) out[field] = { ...out[field], ...byTarget };
  return out;
}

export async function updateColumns(db: Db, rel: string, id: Id, byTarget: Record<string, LinkColumns>): Promise<void> {
  for (const [target, c] of Object.entries(byTarget)) {
    await db.run(`UPDATE ${LINK_TABLE} SET role = ?, is_inactive = ?, status = ? WHERE rel = ? AND from_id = ? AND to_id = ?`,
      [c.role ?? null, c.is_inactive ?? null, c.status ?? null, rel, id, Number(target)]);
  }
}
