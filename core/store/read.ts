// Reading records: one SQL query for the page, then one batched query per extra (link names per target entity,
// links, contact points, parent names) for the whole page; never a query per row.
import type { Registry } from '../schema/registry';
import { parentTypeField } from '../schema/registry';
import type { EntityDef, FieldDef } from '../schema/types';
import type { FindResult, LinkColumns, Query, Rec } from '../types';
import { BadRequestError } from '../errors';
import type { Db, Reader, Row } from './db';
import { compileCount, compileSort, compileWhere } from './compile';
import { decodeInPlace, EntityMeta, metaOf } from './meta';
import { CONTACT_POINT_TABLE, LINK_TABLE, q, tableOf, titleField } from './tables';
import { attachContactPoints, ContactPointRow } from './contact-points';

export interface ReadContext { db: Db; registry: Registry }

/** Asks the backend for the rows of one statement (see Reader in db.ts). */
function* ask<T>(sql: string, params: unknown[]): Generator<{ sql: string; params: unknown[] }, T[], Row[]> {
  return (yield { sql, params }) as unknown as T[];
}

function deletedClause(deleted: Query['deleted']): string {
  if (deleted === 'include') return '';
  if (deleted === 'only') return ' AND t.deleted_at IS NOT NULL';
  return ' AND t.deleted_at IS NULL';
}

/** A whole number from 0 to 2^53-1, whatever the caller passed (paging never errors on a huge value). */
function pageNumber(v: unknown): number {
  const n = Math.floor(Number(v));
  return Number.isFinite(n) ? Math.min(Math.max(n, 0), Number.MAX_SAFE_INTEGER) : 0;
}

function selectSql(meta: EntityMeta, query: Query): string {
  if (!query.select) return meta.allColumnsSql;
  const wanted = new Set(query.select);
  for (const n of query.select) {
    if (!meta.def.fields[n]) throw new BadRequestError(`Unknown field '${n}'.`, 'select');
  }
  wanted.add('id');
  return meta.columns.filter((f) => wanted.has(f.name)).map((f) => `t.${q(f.name)}`).join(', ');
}

export function findRecords(rc: ReadContext, entity: string, query: Query): Promise<FindResult> {
  return rc.db.read(find(rc, entity, query));
}

function* find(rc: ReadContext, entity: string, query: Query): Reader<FindResult> {
  const def = rc.registry.entity(entity);
  if (!def) throw new BadRequestError(`Unknown entity '${entity}'.`, 'entity');
  const w = compileWhere(rc.registry, entity, query.where, rc.db.kind, query.semantics);
  const table = tableOf(entity);
  const where = `WHERE ${w.sql}${deletedClause(query.deleted)}`;
  const meta = metaOf(rc.registry, def);
  const cols = selectSql(meta, query);
  const countCols: string[] = [];
  const countParams: unknown[] = [];
  for (const [name, c] of Object.entries(query.counts ?? {})) {
    if (def.fields[name]) throw new BadRequestError(`Count alias '${name}' is a field name.`, 'counts');
    const sub = compileCount(rc.registry, entity, c.link, c.where, rc.db.kind, query.semantics);
    countCols.push(`${sub.sql} AS ${q(name)}`);
    countParams.push(...sub.params);
  }
  const order = compileSort(rc.registry, entity, query.sort, rc.db.kind, 't', Object.keys(query.counts ?? {}));
  const params = [...countParams, ...w.params];
  // LIMIT as a literal (a checked integer): SQLite plans a bound LIMIT noticeably slower.
  let page = '';
  const limit = query.limit === undefined ? undefined : pageNumber(query.limit);
  if (limit !== undefined) page += ` LIMIT ${limit}`;
  if (query.offset) {
    page += limit === undefined ? (rc.db.kind === 'pg' ? ' OFFSET ?' : ' LIMIT -1 OFFSET ?') : ' OFFSET ?';
    params.push(pageNumber(query.offset));
  }
  const rows = yield* ask<Record<string, unknown>>(`SELECT ${countCols.length ? [cols, ...countCols].join(', ') : cols} FROM ${table} t ${where} ORDER BY ${order}${page}`, params);
  const records = rows as Rec[];
  for (const r of records) decodeInPlace(meta, r);
  for (const name of Object.keys(query.counts ?? {})) for (const r of records) r[name] = Number(r[name]);
  yield* enrich(rc, def, records, query);
  const out: FindResult = { records };
  if (query.count) {
    const c = yield* ask<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} t ${where}`, w.params);
    out.total = Number(c[0].n);
  }
  return out;
}

/** Adds links, contact points and names to a page of records, one batched query each. */
function* enrich(rc: ReadContext, def: EntityDef, records: Rec[], query: Query): Reader<void> {
  if (!records.length) return;
  const idList = records.map((r) => r.id);
  const meta = metaOf(rc.registry, def);
  const which = query.links;
  const linksFields = which ? meta.linksFields.filter((f) => which === true || which.includes(f.name)) : [];
  if (linksFields.length) yield* attachLinks(rc, def, records, idList, linksFields);
  if (query.names) yield* attachNames(rc, meta, records, query.names, linksFields);
  if (query.contactPoints && (def.emails || def.phones)) {
    const rows = yield* ask<ContactPointRow>(`SELECT * FROM ${CONTACT_POINT_TABLE} WHERE record_id IN (${idList.map(() => '?').join(', ')}) ORDER BY record_id, kind, position`, idList);
    attachContactPoints(def, records, rows);
  }
  if (query.names && meta.parentFields.length) yield* attachParentNames(rc, def, records);
}

type LinkRow = { rel: string; from_id: number; to_id: number; role: string | null; is_inactive: unknown; status: string | null };

function* attachLinks(rc: ReadContext, def: EntityDef, records: Rec[], idList: number[], fields: FieldDef[]): Reader<void> {
  const rels = fields.map((f) => `${def.name}.${f.name}`);
  const rows = yield* ask<LinkRow>(`SELECT rel, from_id, to_id, role, is_inactive, status FROM ${LINK_TABLE}
     WHERE rel IN (${rels.map(() => '?').join(', ')}) AND from_id IN (${idList.map(() => '?').join(', ')}) ORDER BY seq, to_id`,
    [...rels, ...idList]);
  const byId = records.length === 1 ? undefined : new Map(records.map((r) => [r.id, r]));
  for (const r of records) for (const f of fields) r[f.name] = [];
  const skip = def.name.length + 1;
  for (const row of rows) {
    const rec = byId ? byId.get(Number(row.from_id)) : records[0];
    if (!rec) continue;
    const field = row.rel.slice(skip);
    (rec[field] as number[]).push(Number(row.to_id));
    const cols: LinkColumns = {};
    if (row.role !== null) cols.role = row.role;
    if (row.is_inactive !== null && row.is_inactive !== undefined) cols.is_inactive = row.is_inactive === true || row.is_inactive === 1;
    if (row.status !== null) cols.status = row.status;
    ((rec.$columns ??= {})[field] ??= {})[String(row.to_id)] = cols;
  }
}

/**
 * `$names` of link fields (a name or null) and of the loaded links fields ({id: name}): the ids of every field
 * are gathered per target entity first, so each target table is asked once for the whole page.
 */
function* attachNames(rc: ReadContext, meta: EntityMeta, records: Rec[], which: true | string[], linksFields: FieldDef[]): Reader<void> {
  const fields = which === true ? meta.linkFields : meta.linkFields.filter((f) => which.includes(f.name));
  const byTarget = new Map<string, Set<number>>();
  const want = (entity: string, id: unknown) => {
    if (typeof id !== 'number') return;
    let set = byTarget.get(entity);
    if (!set) byTarget.set(entity, (set = new Set()));
    set.add(id);
  };
  for (const r of records) {
    for (const f of fields) want(f.entity!, r[f.name]);
    for (const f of linksFields) for (const id of r[f.name] as number[]) want(f.entity!, id);
  }
  const names = new Map<string, Map<number, string | null>>();
  for (const [target, ids] of byTarget) {
    const tdef = rc.registry.entity(target);
    const title = tdef && titleField(tdef);
    names.set(target, title ? yield* namesOf(rc, target, title, [...ids]) : new Map());
  }
  for (const r of records) {
    const out = (r.$names ??= {});
    for (const f of fields) {
      const v = r[f.name];
      out[f.name] = typeof v === 'number' ? names.get(f.entity!)?.get(v) ?? null : null;
    }
    for (const f of linksFields) {
      const m: Record<string, string | null> = {};
      for (const id of r[f.name] as number[]) m[String(id)] = names.get(f.entity!)?.get(id) ?? null;
      out[f.name] = m;
    }
  }
}

function* namesOf(rc: ReadContext, entity: string, title: string, ids: number[]): Reader<Map<number, string | null>> {
  const rows = yield* ask<{ id: number; n: string | null }>(`SELECT id, ${q(title)} AS n FROM ${tableOf(entity)} WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  return new Map(rows.map((r) => [Number(r.id), r.n]));
}

function* attachParentNames(rc: ReadContext, def: EntityDef, records: Rec[]): Reader<void> {
  for (const f of Object.values(def.fields).filter((x) => x.type === 'parent')) {
    const typeField = parentTypeField(f.name);
    const byType = new Map<string, number[]>();
    for (const r of records) {
      const t = r[typeField] as string | null; const id = r[f.name] as number | null;
      if (t && id !== null && id !== undefined && rc.registry.has(t)) byType.set(t, [...(byType.get(t) ?? []), id]);
    }
    const names = new Map<number, string | null>();
    for (const [t, ids] of byType) {
      const title = titleField(rc.registry.entity(t)!);
      if (title) for (const [id, n] of yield* namesOf(rc, t, title, [...new Set(ids)])) names.set(id, n);
    }
    for (const r of records) {
      const id = r[f.name] as number | null;
      (r.$names ??= {})[f.name] = id === null || id === undefined ? null : names.get(id) ?? null;
    }
  }
}

const FULL: Query = { names: true, links: true, contactPoints: true };

/** One record, fully loaded: the by-id statement is built once per entity, not compiled from a query tree. */
export function getRecord(rc: ReadContext, entity: string, id: number, withDeleted = false): Promise<Rec | undefined> {
  return rc.db.read(getOne(rc, entity, id, withDeleted));
}

function* getOne(rc: ReadContext, entity: string, id: number, withDeleted: boolean): Reader<Rec | undefined> {
  const def = rc.registry.entity(entity);
  if (!def) throw new BadRequestError(`Unknown entity '${entity}'.`, 'entity');
  const meta = metaOf(rc.registry, def);
  const rows = yield* ask<Rec>(withDeleted ? meta.byIdAnySql : meta.byIdSql, [id]);
  if (!rows.length) return undefined;
  decodeInPlace(meta, rows[0]);
  yield* enrich(rc, def, rows, FULL);
  return rows[0];
}
