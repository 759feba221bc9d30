// Per-entity facts the read path needs on every request, computed once per registry revision.
import type { Registry } from '../schema/registry';
import { columnFields } from '../schema/registry';
import type { EntityDef, FieldDef } from '../schema/types';
import { decodeValue } from './rows';
import { q, tableOf } from './tables';

export interface EntityMeta {
  def: EntityDef;
  columns: FieldDef[];
  columnSet: Set<string>;
  allColumnsSql: string;                       // `t."id", t."name", ...`
  byIdSql: string;                             // one live row by id, every column
  byIdAnySql: string;                          // one row by id, deleted or not
  insertSql: string;                           // a new row, every column in `columns` order
  decoders: FieldDef[];                        // columns whose stored form differs from the canonical one
  linkFields: FieldDef[];
  linksFields: FieldDef[];
  parentFields: FieldDef[];
}

const caches = new WeakMap<Registry, { revision: number; byEntity: Map<string, EntityMeta> }>();

export function metaOf(registry: Registry, def: EntityDef): EntityMeta {
  let c = caches.get(registry);
  if (!c || c.revision !== registry.revision) {
    c = { revision: registry.revision, byEntity: new Map() };
    caches.set(registry, c);
  }
  let m = c.byEntity.get(def.name);
  if (!m) {
    const columns = columnFields(def);
    const fields = Object.values(def.fields);
    const allColumnsSql = columns.map((f) => `t.${q(f.name)}`).join(', ');
    const byIdSql = `SELECT ${allColumnsSql} FROM ${tableOf(def.name)} t WHERE t.id = ?`;
    m = {
      def, columns, columnSet: new Set(columns.map((f) => f.name)), allColumnsSql,
      byIdSql: `${byIdSql} AND t.deleted_at IS NULL`, byIdAnySql: byIdSql,
      insertSql: `INSERT INTO ${tableOf(def.name)} (${columns.map((f) => q(f.name)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      decoders: columns.filter((f) => ['bool', 'multienum', 'int', 'float', 'currency', 'link', 'parent'].includes(f.type)),
      linkFields: fields.filter((f) => f.type === 'link' && !!f.entity),
      linksFields: fields.filter((f) => f.type === 'links'),
      parentFields: fields.filter((f) => f.type === 'parent'),
    };
    c.byEntity.set(def.name, m);
  }
  return m;
}

/** Turns a database row into canonical values in place (no copy: this runs for every row read). */
export function decodeInPlace(meta: EntityMeta, row: Record<string, unknown>): void {
  for (const f of meta.decoders) {
    const v = row[f.name];
    if (v === null || v === undefined) continue;
    if (f.type === 'bool' || f.type === 'multienum' || typeof v === 'string') row[f.name] = decodeValue(f, v);
  }
}
