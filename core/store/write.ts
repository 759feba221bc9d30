// Writing one record: insert, patch, soft/hard delete, restore. Callers run these inside a transaction.
import type { Registry } from '../schema/registry';
import { isSlotOnly, parentTypeField } from '../schema/registry';
import { metaOf } from './meta';
import type { EntityDef, FieldDef } from '../schema/types';
import type { Ctx, Id, LinkColumns, Patch, Rec } from '../types';
import { NotFoundError, ValidationError, ValidationIssue } from '../errors';
import { applyCreationTime, applyDefaults, applyRules, emptyToNull } from '../rules';
import type { Validator } from '../validate';
import type { Db } from './db';
import { reserveIds } from './migrate';
import { encodeValue, nowStamp } from './rows';
import { applyContactPatch, CONTACT_POINT_KEYS, ContactLists, listsOf, slotsOf, writeContactPoints } from './contact-points';
import { COUNTER_TABLE, LINK_TABLE, TOMBSTONE_TABLE, q, tableOf } from './tables';
import { getRecord } from './read';
import { ColumnsPatch, LINK_COLUMNS_KEY, changedColumns, mergeColumns, readColumnsPatch, updateColumns } from './link-columns';

export interface StoreContext { db: Db; registry: Registry; validator: Validator }

// Read-only to clients (each dialect drops them from its input), but a dialect may set them on purpose: react-admin's
// `done_date` completes a task at the date it names.
const SYSTEM_WRITABLE = new Set(['assigned_user_id', 'date_completed']);
/** Set by the loader of demo data and imports only. */
export interface InsertOptions { createdAt?: string; modifiedAt?: string; id?: Id }

interface Split { columns: Record<string, unknown>; links: Record<string, Id[]>; contact: Patch | null; linkColumns: ColumnsPatch }

/** The record changed since it was read (another writer came first): read it again and re-derive the patch. */
export class StaleRecordError extends Error {}

/** One more version, in the same UPDATE as the change itself. */
const NEXT_VERSION = '"version_number" = "version_number" + 1';

/** Sorts a canonical patch into column values, links lists and contact-point keys; refuses unknown names. */
function split(def: EntityDef, patch: Patch): Split {
  const out: Split = { columns: {}, links: {}, contact: null, linkColumns: {} };
  const issues: ValidationIssue[] = [];
  for (const [k, v] of Object.entries(emptyToNull(patch))) {
    if (k === LINK_COLUMNS_KEY) { out.linkColumns = readColumnsPatch(def, v); continue; }
    if (CONTACT_POINT_KEYS.includes(k) && (def.emails || def.phones)) { (out.contact ??= {})[k] = v; continue; }
    const f = def.fields[k];
    if (!f) { issues.push({ field: k, rule: 'unknownField' }); continue; }
    if (f.readonly && !SYSTEM_WRITABLE.has(k)) continue; // R5
    if (['id', 'created_at', 'modified_at', 'deleted_at', 'created_by', 'modified_by', 'number', 'name'].includes(k) && (f.readonly || k === 'id')) continue;
    if (f.type === 'links') { out.links[k] = v === null ? [] : (v as Id[]); continue; }
    if (isSlotOnly(def, k)) continue;
    out.columns[k] = v;
  }
  if (issues.length) throw new ValidationError(def.name, issues);
  return out;
}

function entityDef(sc: StoreContext, entity: string): EntityDef {
  const def = sc.registry.entity(entity);
  if (!def) throw new NotFoundError(entity, null, `Unknown entity '${entity}'.`);
  return def;
}

async function nextNumber(db: Db, entity: string): Promise<number> {
  const next = () => db.all<{ value: number }>(`UPDATE ${COUNTER_TABLE} SET value = value + 1 WHERE entity = ? RETURNING value`, [entity]);
  let rows = await next();
  if (!rows.length) {
    await db.run(`INSERT INTO ${COUNTER_TABLE} (entity, value) VALUES (?, 0) ON CONFLICT (entity) DO NOTHING`, [entity]);
    rows = await next();
  }
  return Number(rows[0].value);
}

/** Every link target must exist (and be alive); parents must name a known entity. */
async function checkTargets(sc: StoreContext, def: EntityDef, columns: Record<string, unknown>, links: Record<string, Id[]>): Promise<void> {
  const issues: ValidationIssue[] = [];
  for (const [k, v] of Object.entries(columns)) {
    const f = def.fields[k];
    if (v === null || v === undefined) continue;
    if (f.type === 'link' && Number.isInteger(v) && !(await exists(sc.db, f.entity!, [v as number]))) issues.push({ field: k, rule: 'valid', message: 'no such record' });
    if (f.type === 'parent') {
      const t = columns[parentTypeField(k)];
      if (typeof t !== 'string' || !sc.registry.has(t)) issues.push({ field: parentTypeField(k), rule: 'valid' });
      else if (Number.isInteger(v) && !(await exists(sc.db, t, [v as number]))) issues.push({ field: k, rule: 'valid', message: 'no such record' });
    }
  }
  for (const [k, ids] of Object.entries(links)) {
    if (!Array.isArray(ids) || !ids.every((i) => Number.isInteger(i))) continue; // the validator reports the type
    if (ids.length && !(await exists(sc.db, def.fields[k].entity!, ids))) issues.push({ field: k, rule: 'valid', message: 'no such record' });
  }
  if (issues.length) throw new ValidationError(def.name, issues);
}

export async function exists(db: Db, entity: string, ids: Id[]): Promise<boolean> {
  const uniq = [...new Set(ids)];
  const rows = await db.all<{ n: number }>(
    `SELECT COUNT(*) AS n FROM ${tableOf(entity)} WHERE id IN (${uniq.map(() => '?').join(', ')}) AND deleted_at IS NULL`, uniq);
  return Number(rows[0].n) === uniq.length;
}

/** Every address of the list must look like one (the slot `email` is how dialects name the list). */
function checkContactLists(def: EntityDef, lists: ContactLists): void {
  const bad = lists.emails.find((e) => !/^[^\s@]+@[^\s@]+$/.test(e.address));
  if (bad) throw new ValidationError(def.name, [{ field: 'email', rule: 'email', message: `'${bad.address}' is not an email address` }]);
}

export async function insertRecord(sc: StoreContext, entity: string, data: Patch, ctx: Ctx, opts: InsertOptions = {}): Promise<Id> {
  const def = entityDef(sc, entity);
  const { columns, links, contact, linkColumns } = split(def, data);
  applyDefaults(def, columns, (p) => sc.registry.picklist(p)?.default);
  applyRules(def, undefined, columns);
  sc.validator.check(def, { ...columns, ...links }, true);
  await checkTargets(sc, def, columns, links);
  const id = opts.id ?? (await reserveIds(sc.db, 1))[0];
  const now = nowStamp();
  const row: Record<string, unknown> = {
    ...columns, id, created_at: opts.createdAt ?? now, modified_at: opts.modifiedAt ?? opts.createdAt ?? now,
    created_by: ctx.user.id,
  };
  applyCreationTime(def, row);
  if (def.numbered) row.number = await nextNumber(sc.db, entity);
  let lists: ContactLists | null = null;
  if (contact) {
    lists = applyContactPatch(def, { emails: [], phones: [] }, contact);
    checkContactLists(def, lists);
    if (def.emails) row.email = lists.emails[0]?.address ?? null;
    if (def.phones) row.phone = lists.phones[0]?.number ?? null;
  }
  // Every column, so that the statement is one per entity: a column left out would take its SQL default, and the
  // only one there is (version_number) is given here.
  row.version_number ??= 1;
  const meta = metaOf(sc.registry, def);
  await sc.db.run(meta.insertSql, meta.columns.map((f) => encodeValue(f, row[f.name])));
  for (const [k, ids] of Object.entries(links)) await addLinks(sc.db, `${entity}.${k}`, id, ids, false, (t) => linkColumns[k]?.[t]);
  if (lists) await writeContactPoints(sc.db, id, lists, def, true);
  await syncPrimaryAccount(sc, def, id, undefined, (k) => row[k]);
  return id;
}

/**
 * Applies a patch; returns false when nothing changed (then modified_at stays as it was). With `result`, the
 * record as it now stands is put there when it can be told without reading it again (no link changed). With
 * `result.ifVersion`, the write happens only if the stored version is still that one (else StaleRecordError).
 */
export async function patchRecord(sc: StoreContext, entity: string, id: Id, patch: Patch, ctx: Ctx, before?: Rec,
  result?: { after?: Rec; ifVersion?: number }): Promise<boolean> {
  const def = entityDef(sc, entity);
  before ??= await getRecord(sc, entity, id);
  if (!before) throw new NotFoundError(entity, id);
  const { columns, links, contact, linkColumns } = split(def, patch);
  const changes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(columns)) if (!same(def.fields[k], before[k], v)) changes[k] = v;
  applyRules(def, before, changes);
  const linkChanges: Record<string, Id[]> = {};
  for (const [k, ids] of Object.entries(links)) {
    const cur = (before[k] as Id[] | undefined) ?? [];
    if (!Array.isArray(ids) || ids.length !== cur.length || ids.some((x) => !cur.includes(x))) linkChanges[k] = ids;
  }
  const columnChanges = changedColumns(before, linkColumns, (k) => linkChanges[k] ?? (before![k] as Id[] | undefined) ?? []);
  sc.validator.check(def, { ...changes, ...linkChanges }, false);
  const meta = metaOf(sc.registry, def);
  await checkTargets(sc, def, meta.parentFields.length ? { ...changes, ...parentTypes(meta.parentFields, changes, before) } : changes, linkChanges);
  let lists: ContactLists | null = null;
  if (contact) {
    const cur = listsOf(before);
    const next = applyContactPatch(def, cur, contact);
    checkContactLists(def, next);
    if (JSON.stringify(next) !== JSON.stringify(normaliseLists(cur))) {
      lists = next;
      if (def.emails && (before.email ?? null) !== (next.emails[0]?.address ?? null)) changes.email = next.emails[0]?.address ?? null;
      if (def.phones && (before.phone ?? null) !== (next.phones[0]?.number ?? null)) changes.phone = next.phones[0]?.number ?? null;
    }
  }
  const linksChanged = Object.keys(linkChanges).length > 0 || Object.keys(columnChanges).length > 0;
  if (!Object.keys(changes).length && !linksChanged && !lists) return false;
  const row = { ...changes, modified_at: nowStamp(), modified_by: ctx.user.id };
  const cols = meta.columns.filter((f) => f.name in row);
  const guard = result?.ifVersion !== undefined ? ' AND "version_number" = ?' : '';
  const n = await sc.db.run(`UPDATE ${tableOf(entity)} SET ${cols.map((f) => `${q(f.name)} = ?`).join(', ')}, ${NEXT_VERSION} WHERE id = ?${guard}`,
    [...cols.map((f) => encodeValue(f, (row as Record<string, unknown>)[f.name])), id, ...(guard ? [result!.ifVersion] : [])]);
  if (guard && !n) throw new StaleRecordError(`${entity} ${id} changed since it was read`);
  for (const [k, ids] of Object.entries(linkChanges)) await setLinks(sc.db, `${entity}.${k}`, id, ids, (t) => linkColumns[k]?.[t]);
  for (const [k, byTarget] of Object.entries(columnChanges)) await updateColumns(sc.db, `${entity}.${k}`, id, byTarget);
  if (lists) await writeContactPoints(sc.db, id, lists, def);
  await syncPrimaryAccount(sc, def, id, before, (k) => (k in changes ? changes[k] : before![k]));
  // Without a link added, removed or renamed, the record as it now stands is known without reading it again
  // (relation columns that changed are merged in: EspoCRM's title is a role on such a row).
  if (result && !Object.keys(linkChanges).length && !Object.keys(changes).some((k) => isLinkField(def, meta.parentFields, k))) {
    const after: Rec = { ...before, ...changes, modified_at: row.modified_at, modified_by: ctx.user.id,
      version_number: Number(before.version_number) + 1 };
    if (before.$names) after.$names = { ...before.$names, modified_by: ctx.user.name };
    if (lists) Object.assign(after, slotsOf(def, lists));
    if (Object.keys(columnChanges).length) after.$columns = mergeColumns(before.$columns, columnChanges);
    result.after = after;
  }
  return true;
}

/** A field whose change changes a display name too (a link, a parent or a parent's type). */
function isLinkField(def: EntityDef, parentFields: FieldDef[], name: string): boolean {
  const f = def.fields[name];
  if (!f) return false;
  if (f.type === 'link' || f.type === 'parent') return true;
  return parentFields.some((p) => parentTypeField(p.name) === name);
}

function parentTypes(parentFields: FieldDef[], changes: Record<string, unknown>, before: Rec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of parentFields) {
    if (!(f.name in changes)) continue;
    const t = parentTypeField(f.name);
    out[t] = t in changes ? changes[t] : before[t];
  }
  return out;
}

function normaliseLists(l: ContactLists): ContactLists {
  return {
    emails: l.emails.map((e) => ({ address: e.address, type: e.type ?? null, opt_out: !!e.opt_out, invalid: !!e.invalid })),
    phones: l.phones.map((p) => ({ number: p.number, type: p.type ?? null, opt_out: !!p.opt_out, invalid: !!p.invalid })),
  };
}

function same(f: FieldDef, a: unknown, b: unknown): boolean {
  if (f.type === 'multienum') return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (a ?? null) === (b ?? null);
}

/** A contact's account_id is always one of its account_ids (mapping.md §2.2; EspoCRM's hook, applied core-wide). */
async function syncPrimaryAccount(sc: StoreContext, def: EntityDef, id: Id, before: Rec | undefined, after: (field: string) => unknown): Promise<void> {
  if (def.name !== 'contact' || !def.fields.account_ids) return;
  const old = (before?.account_id as Id | null | undefined) ?? null;
  const now = (after('account_id') as Id | null | undefined) ?? null;
  if (old === now) return;
  // Clearing it removes the row; moving it to another account keeps the old one related (mapping.md §2.2, as EspoCRM).
  if (old !== null && now === null) await sc.db.run(`DELETE FROM ${LINK_TABLE} WHERE rel = 'contact.account_ids' AND from_id = ? AND to_id = ?`, [id, old]);
  if (now !== null) await addLinks(sc.db, 'contact.account_ids', id, [now], false, { role: (after('title') as string | null) ?? null });
}

/** `cols`: the relation columns of every new row, or of each target. */
export async function addLinks(db: Db, rel: string, id: Id, targets: Id[], inverse: boolean,
  cols: LinkColumns | ((target: Id) => LinkColumns | undefined) = {}): Promise<number> {
  let added = 0;
  for (const t of targets) {
    const [from, to] = inverse ? [t, id] : [id, t];
    const c = (typeof cols === 'function' ? cols(t) : cols) ?? {};
    added += await db.run(
      `INSERT INTO ${LINK_TABLE} (rel, from_id, to_id, role, is_inactive, status, seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rel, from_id, to_id) DO NOTHING`,
      [rel, from, to, c.role ?? null, c.is_inactive ?? null, c.status ?? null, Date.now()]);
  }
  return added;
}

export async function removeLinks(db: Db, rel: string, id: Id, targets: Id[], inverse: boolean): Promise<number> {
  let removed = 0;
  for (const t of targets) {
    const [from, to] = inverse ? [t, id] : [id, t];
    removed += await db.run(`DELETE FROM ${LINK_TABLE} WHERE rel = ? AND from_id = ? AND to_id = ?`, [rel, from, to]);
  }
  return removed;
}

async function setLinks(db: Db, rel: string, id: Id, targets: Id[], cols: (target: Id) => LinkColumns | undefined): Promise<void> {
  await db.run(`DELETE FROM ${LINK_TABLE} WHERE rel = ? AND from_id = ?${targets.length ? ` AND to_id NOT IN (${targets.map(() => '?').join(', ')})` : ''}`,
    [rel, id, ...targets]);
  await addLinks(db, rel, id, targets, false, cols);
}

export async function softDelete(sc: StoreContext, entity: string, id: Id, ctx: Ctx): Promise<void> {
  const now = nowStamp();
  const n = await sc.db.run(`UPDATE ${tableOf(entity)} SET deleted_at = ?, modified_at = ?, modified_by = ?, ${NEXT_VERSION} WHERE id = ? AND deleted_at IS NULL`,
    [now, now, ctx.user.id, id]);
  if (!n) throw new NotFoundError(entity, id);
}

export async function hardDelete(sc: StoreContext, entity: string, id: Id): Promise<void> {
  const n = await sc.db.run(`DELETE FROM ${tableOf(entity)} WHERE id = ?`, [id]);
  if (!n) throw new NotFoundError(entity, id);
  await sc.db.run(`DELETE FROM ${LINK_TABLE} WHERE from_id = ? OR to_id = ?`, [id, id]);
  await sc.db.run(`DELETE FROM crm_contact_point WHERE record_id = ?`, [id]);
  await sc.db.run(`INSERT INTO ${TOMBSTONE_TABLE} (id, entity, deleted_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`, [id, entity, nowStamp()]);
}

export async function restoreRecord(sc: StoreContext, entity: string, id: Id, ctx: Ctx): Promise<void> {
  const n = await sc.db.run(`UPDATE ${tableOf(entity)} SET deleted_at = NULL, modified_at = ?, modified_by = ?, ${NEXT_VERSION} WHERE id = ? AND deleted_at IS NOT NULL`,
    [nowStamp(), ctx.user.id, id]);
  if (!n) throw new NotFoundError(entity, id);
}
