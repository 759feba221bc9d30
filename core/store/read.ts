// Reading records: one SQL query for the page (with joined link names), then one batched query per extra
// (links, contact points, parent names) for the whole page; never a query per row.
import type { Registry } from '../schema/registry';
import { columnFields, isSlotOnly, parentTypeField } from '../schema/registry';
import type { EntityDef } from '../schema/types';
import type { FindResult, LinkColumns, Query, Rec } from '../types';
import { BadRequestError } from '../errors';
import type { Db } from './db';
import { compileCount, compileSort, compileWhere } from './compile';
import { decodeRow } from './rows';
import { CONTACT_POINT_TABLE, LINK_TABLE, q, tableOf, titleField } from './tables';
import { attachContactPoints, ContactPointRow } from './contact-points';

export interface ReadContext { db: Db; registry: Registry }

function deletedClause(deleted: Query['deleted']): string {
  if (deleted === 'include') return '';
  if (deleted === 'only') return ' AND t.deleted_at IS NOT NULL';
  return ' AND t.deleted_at IS NULL';
}

function linkFieldNames(def: EntityDef, names: Query['names']): string[] {
  const all = Object.values(def.fields).filter((f) => f.type === 'link').map((f) => f.name);
  if (!names) return [];
  return names === true ? all : all.filter((n) => names.includes(n));
}

function selectList(rc: ReadContext, def: EntityDef, query: Query): { cols: string; joins: string } {
  let fields = columnFields(def);
  if (query.select) {
    const wanted = new Set(query.select);
    for (const n of query.select) {
      if (!def.fields[n]) throw new BadRequestError(`Unknown field '${n}'.`, 'select');
    }
    wanted.add('id');
    fields = fields.filter((f) => wanted.has(f.name));
  }
  const cols = fields.map((f) => `t.${q(f.name)}`);
  const joins: string[] = [];
  for (const name of linkFieldNames(def, query.names)) {
    const f = def.fields[name];
    const target = rc.registry.entity(f.entity!);
    const title = target && titleField(target);
    if (!title) continue;
    const a = `j_${name}`;
    joins.push(`LEFT JOIN ${tableOf(f.entity!)} ${a} ON ${a}.id = t.${q(name)}`);
    cols.push(`${a}.${q(title)} AS ${q(name + '$name')}`);
  }
  return { cols: cols.join(', '), joins: joins.length ? ' ' + joins.join(' ') : '' };
}

export async function findRecords(rc: ReadContext, entity: string, query: Query): Promise<FindResult> {
  const def = rc.registry.entity(entity);
  if (!def) throw new BadRequestError(`Unknown entity '${entity}'.`, 'entity');
  const w = compileWhere(rc.registry, entity, query.where, rc.db.kind, query.semantics);
  const table = tableOf(entity);
  const where = `WHERE ${w.sql}${deletedClause(query.deleted)}`;
  const { cols, joins } = selectList(rc, def, query);
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
  let page = '';
  if (query.limit !== undefined) { page += ' LIMIT ?'; params.push(Math.max(0, Math.floor(query.limit))); }
  if (query.offset) { page += query.limit === undefined ? (rc.db.kind === 'pg' ? '' : ' LIMIT -1') + ' OFFSET ?' : ' OFFSET ?'; params.push(Math.max(0, Math.floor(query.offset))); }
  const rows = await rc.db.all<Record<string, unknown>>(
    `SELECT ${[cols, ...countCols].join(', ')} FROM ${table} t${joins} ${where} ORDER BY ${order}${page}`, params);
  const records = rows.map((r) => toRec(def, r));
  for (const name of Object.keys(query.counts ?? {})) for (const r of records) r[name] = Number(r[name]);
  await enrich(rc, def, records, query);
  const out: FindResult = { records };
  if (query.count) {
    const c = await rc.db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} t ${where}`, w.params);
    out.total = Number(c[0].n);
  }
  return out;
}

function toRec(def: EntityDef, row: Record<string, unknown>): Rec {
  const rec = decodeRow(def, row) as Rec;
  for (const [k, v] of Object.entries(row)) {
    if (k.endsWith('$name')) (rec.$names ??= {})[k.slice(0, -5)] = (v as string | null) ?? null;
  }
  return rec;
}

/** Adds links, contact points and parent names to a page of records, one batched query each. */
export async function enrich(rc: ReadContext, def: EntityDef, records: Rec[], query: Query): Promise<void> {
  if (!records.length) return;
  const idList = records.map((r) => r.id);
  if (query.links) await attachLinks(rc, def, records, idList, query.links, !!query.names);
  if (query.contactPoints && (def.emails || def.phones)) {
    const rows = await rc.db.all<ContactPointRow>(
      `SELECT * FROM ${CONTACT_POINT_TABLE} WHERE record_id IN (${idList.map(() => '?').join(', ')}) ORDER BY record_id, kind, position`, idList);
    attachContactPoints(def, records, rows);
  }
  if (query.names && Object.values(def.fields).some((f) => f.type === 'parent')) await attachParentNames(rc, def, records);
}

async function attachLinks(rc: ReadContext, def: EntityDef, records: Rec[], idList: number[],
  which: true | string[], withNames: boolean): Promise<void> {
  const fields = Object.values(def.fields).filter((f) => f.type === 'links' && (which === true || which.includes(f.name)));
  if (!fields.length) return;
  const rels = fields.map((f) => `${def.name}.${f.name}`);
  const rows = await rc.db.all<{ rel: string; from_id: number; to_id: number; role: string | null; is_inactive: unknown; status: string | null }>(
    `SELECT rel, from_id, to_id, role, is_inactive, status FROM ${LINK_TABLE}
     WHERE rel IN (${rels.map(() => '?').join(', ')}) AND from_id IN (${idList.map(() => '?').join(', ')}) ORDER BY seq, to_id`,
    [...rels, ...idList]);
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const r of records) for (const f of fields) r[f.name] = [];
  for (const row of rows) {
    const rec = byId.get(Number(row.from_id));
    const field = row.rel.slice(def.name.length + 1);
    if (!rec) continue;
    (rec[field] as number[]).push(Number(row.to_id));
    const cols: LinkColumns = {};
    if (row.role !== null) cols.role = row.role;
    if (row.is_inactive !== null && row.is_inactive !== undefined) cols.is_inactive = row.is_inactive === true || row.is_inactive === 1;
    if (row.status !== null) cols.status = row.status;
    ((rec.$columns ??= {})[field] ??= {})[String(row.to_id)] = cols;
  }
  if (!withNames) return;
  for (const f of fields) {
    const target = rc.registry.entity(f.entity!);
    const title = target && titleField(target);
    const all = [...new Set(records.flatMap((r) => r[f.name] as number[]))];
    const names = title && all.length ? await namesOf(rc, f.entity!, title, all) : new Map<number, string | null>();
    for (const r of records) {
      const m: Record<string, string | null> = {};
      for (const id of r[f.name] as number[]) m[String(id)] = names.get(id) ?? null;
      (r.$names ??= {})[f.name] = m;
    }
  }
}

async function namesOf(rc: ReadContext, entity: string, title: string, ids: number[]): Promise<Map<number, string | null>> {
  const rows = await rc.db.all<{ id: number; n: string | null }>(
    `SELECT id, ${q(title)} AS n FROM ${tableOf(entity)} WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  return new Map(rows.map((r) => [Number(r.id), r.n]));
}

async function attachParentNames(rc: ReadContext, def: EntityDef, records: Rec[]): Promise<void> {
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
      if (title) for (const [id, n] of await namesOf(rc, t, title, [...new Set(ids)])) names.set(id, n);
    }
    for (const r of records) {
      const id = r[f.name] as number | null;
      (r.$names ??= {})[f.name] = id === null || id === undefined ? null : names.get(id) ?? null;
    }
  }
}

/** One record, fully loaded. */
export async function getRecord(rc: ReadContext, entity: string, id: number, withDeleted = false): Promise<Rec | undefined> {
  const r = await findRecords(rc, entity, {
    where: { field: 'id', op: 'eq', value: id }, deleted: withDeleted ? 'include' : 'exclude',
    names: true, links: true, contactPoints: true, limit: 1,
  });
  return r.records[0];
}

export { isSlotOnly };
