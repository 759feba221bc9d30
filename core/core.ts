// The Core: opens the store, keeps the registry, runs every command in one transaction.
import type { Registry } from './schema/registry';
import { loadRegistry } from './schema/load';
import type { EntityDef } from './schema/types';
import type {
  Changes, ConvertLeadInput, ConvertLeadResult, CoreApi, Ctx, FindResult, Id, Job, KeyCheck, KeyUse, LinkColumns, MassTarget,
  Patch, Query, Rec, Semantics, User, Where,
} from './types';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from './errors';
import { Db, openDb } from './store/db';
import { migrate, ensureEntityTable } from './store/migrate';
import { findRecords, getRecord } from './store/read';
import { StoreContext, addLinks, hardDelete, insertRecord, patchRecord, removeLinks, restoreRecord, softDelete, InsertOptions, StaleRecordError } from './store/write';
import { compileWhere } from './store/compile';
import * as commands from './commands';
import { createJob, findJob, runJob } from './jobs';
import { Validator } from './validate';
import { type UserListing, getMeta, listUsers, newApiKey, setApiKey, setMeta, userById } from './users';
import { KeyRegistry, type NewUser } from './auth';
import { tableOf } from './store/tables';
import { parentTypeField } from './schema/registry';

export interface CoreOptions {
  db: string;              // a file path, ':memory:' or postgres://...
  registry?: Registry;
  adminKey?: string;       // the administrator's API key; generated once and stored when absent
}

const SYSTEM_CTX_USER: User = { id: 1, user_name: 'admin', name: 'Administrator', is_admin: true, is_active: true, email: null };

export class Core implements CoreApi {
  readonly registry: Registry;
  private readonly sc: StoreContext;
  private readonly keys: KeyRegistry;
  /** The administrator's key as configured or generated (printed at start). */
  adminKey = '';

  private constructor(readonly db: Db, registry: Registry) {
    this.registry = registry;
    this.sc = { db, registry, validator: new Validator(registry) };
    this.keys = new KeyRegistry(db);
  }

  get dbKind(): 'sqlite' | 'pg' { return this.db.kind; }

  static async open(opts: CoreOptions): Promise<Core> {
    const registry = opts.registry ?? loadRegistry();
    const core = new Core(openDb(opts.db), registry);
    await migrate(core.db, registry);
    await core.loadCustomSchema();
    await core.ensureAdmin(opts.adminKey);
    return core;
  }

  /** Waits for the jobs this process is running, so that their outcome is stored before the database closes. */
  async close(): Promise<void> {
    await Promise.all([...this.runningJobs]);
    await this.db.close();
  }

  /** True when no record but the administrator exists (a new database: load demo data). */
  async isEmpty(): Promise<boolean> {
    const rows = await this.db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${tableOf('account')}`);
    return Number(rows[0].n) === 0;
  }

  private async ensureAdmin(adminKey?: string): Promise<void> {
    const admin = await userById(this.db, 1);
    if (!admin) {
      await this.db.transaction(async () => {
        await insertRecord(this.sc, 'user', {
          user_name: 'admin', first_name: null, last_name: 'Administrator', is_admin: true, is_active: true, type: 'admin',
        }, { user: SYSTEM_CTX_USER }, { id: 1 });
        if (this.db.kind === 'pg') await this.db.all(`SELECT setval('crm_id_seq', GREATEST(last_value, 1), true) FROM crm_id_seq`);
        else await this.db.run(`UPDATE crm_id_sequence SET value = MAX(value, 1) WHERE name = 'id'`);
      });
    }
    const stored = await getMeta(this.db, 'admin_api_key');
    const key = adminKey ?? stored ?? newApiKey();
    if (key !== stored) {
      await setApiKey(this.db, 1, key);
      await setMeta(this.db, 'admin_api_key', key);
      this.keys.forget();
    }
    this.adminKey = key;
  }

  async admin(): Promise<User> { return (await userById(this.db, 1))!; }

  // ----- schema at run time -----

  private async loadCustomSchema(): Promise<void> {
    const raw = await getMeta(this.db, 'custom_schema');
    if (!raw) return;
    const custom = JSON.parse(raw) as { entities: EntityDef[]; fields: { entity: string; def: EntityDef['fields'][string] }[] };
    for (const e of custom.entities) { this.registry.addEntity(e); await ensureEntityTable(this.db, this.registry.entity(e.name)!); }
    for (const f of custom.fields) { if (this.registry.has(f.entity)) this.registry.addField(f.entity, f.def); }
    for (const name of this.registry.entityNames()) await ensureEntityTable(this.db, this.registry.entity(name)!);
  }

  private async saveCustom(mutate: (c: { entities: EntityDef[]; fields: { entity: string; def: EntityDef['fields'][string] }[] }) => void): Promise<void> {
    const raw = await getMeta(this.db, 'custom_schema');
    const custom = raw ? JSON.parse(raw) : { entities: [], fields: [] };
    mutate(custom);
    await setMeta(this.db, 'custom_schema', JSON.stringify(custom));
  }

  /** A run-time entity (Corteza module, react-admin custom object): persisted, visible to every dialect at once. */
  async defineEntity(def: EntityDef): Promise<EntityDef> {
    if (this.registry.has(def.name)) throw new BadRequestError(`Entity '${def.name}' exists.`, 'name');
    const full = this.registry.addEntity({ ...def, custom: true });
    await ensureEntityTable(this.db, full);
    await this.saveCustom((c) => c.entities.push({ ...def, custom: true }));
    return full;
  }

  async defineField(entity: string, def: EntityDef['fields'][string]): Promise<void> {
    if (!this.registry.has(entity)) throw new NotFoundError(entity, null, `Unknown entity '${entity}'.`);
    this.registry.addField(entity, { ...def, custom: true });
    await ensureEntityTable(this.db, this.registry.entity(entity)!);
    await this.saveCustom((c) => c.fields.push({ entity, def: { ...def, custom: true } }));
  }

  // ----- reads -----

  private need(entity: string): void {
    if (!this.registry.has(entity)) throw new NotFoundError(entity, null, `Unknown entity '${entity}'.`);
  }

  async find(entity: string, query: Query, _ctx: Ctx): Promise<FindResult> {
    this.need(entity);
    return findRecords(this.sc, entity, query);
  }

  async count(entity: string, where: Where | undefined, _ctx: Ctx, semantics?: Semantics): Promise<number> {
    this.need(entity);
    const w = compileWhere(this.registry, entity, where, this.db.kind, semantics);
    const rows = await this.db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${tableOf(entity)} t WHERE ${w.sql} AND t.deleted_at IS NULL`, w.params);
    return Number(rows[0].n);
  }

  async get(entity: string, id: Id, _ctx: Ctx, opts: { withDeleted?: boolean } = {}): Promise<Rec> {
    this.need(entity);
    const rec = Number.isSafeInteger(id) ? await getRecord(this.sc, entity, id, opts.withDeleted) : undefined;
    if (!rec) throw new NotFoundError(entity, id);
    return rec;
  }

  async entityOf(id: Id): Promise<string | null> {
    if (!Number.isSafeInteger(id)) return null;
    const names = this.registry.entityNames();
    const sql = names.map((n) => `SELECT '${n}' AS e FROM ${tableOf(n)} WHERE id = ?`).join(' UNION ALL ');
    const rows = await this.db.all<{ e: string }>(sql, names.map(() => id));
    return rows[0]?.e ?? null;
  }

  // ----- writes: each in one transaction -----

  private tx<T>(fn: () => Promise<T>): Promise<T> { return this.db.transaction(fn); }

  atomically<T>(work: () => Promise<T>): Promise<T> { return this.tx(work); }

  /** A committed write to users ends every cached key look-up (a disabled user is refused at once here). */
  private userWrite<T>(entity: string, write: Promise<T>): Promise<T> {
    return entity === 'user' ? write.finally(() => this.keys.forget()) : write;
  }

  async create(entity: string, data: Patch, ctx: Ctx, opts?: InsertOptions): Promise<Rec> {
    this.need(entity);
    return this.userWrite(entity, this.tx(async () => {
      const id = await insertRecord(this.sc, entity, data, ctx, opts);
      return (await getRecord(this.sc, entity, id))!;
    }));
  }

  async update(entity: string, id: Id, patch: Patch | ((before: Rec) => Patch), ctx: Ctx): Promise<Rec> {
    this.need(entity);
    return this.userWrite(entity, this.tx(async () => {
      // The patch is derived from the record as read; it is written only if that is still the stored version.
      // A concurrent writer (PostgreSQL) makes the guarded UPDATE miss: read again and derive again.
      for (let attempt = 1; ; attempt++) {
        const before = Number.isSafeInteger(id) ? await getRecord(this.sc, entity, id) : undefined;
        if (!before) throw new NotFoundError(entity, id);
        const p = typeof patch === 'function' ? patch(before) : patch;
        const result: { after?: Rec; ifVersion?: number } = { ifVersion: before.version_number as number };
        try {
          const changed = await patchRecord(this.sc, entity, id, p, ctx, before, result);
          if (!changed) return before;
          return result.after ?? (await getRecord(this.sc, entity, id))!;
        } catch (e) {
          if (!(e instanceof StaleRecordError)) throw e;
          if (attempt >= 5) throw new ConflictError('The record keeps changing; try again.');
        }
      }
    }));
  }

  async replace(entity: string, id: Id, data: Patch, ctx: Ctx): Promise<Rec> {
    this.need(entity);
    const def = this.registry.entity(entity)!;
    const full: Patch = {};
    for (const f of Object.values(def.fields)) {
      if (f.readonly || ['id', 'created_at', 'modified_at', 'deleted_at', 'created_by', 'modified_by'].includes(f.name)) continue;
      full[f.name] = f.type === 'links' ? [] : f.default ?? null;
    }
    return this.update(entity, id, { ...full, ...data }, ctx);
  }

  async delete(entity: string, id: Id, ctx: Ctx, opts: { hard?: boolean } = {}): Promise<Rec> {
    this.need(entity);
    return this.userWrite(entity, this.tx(async () => {
      const rec = await getRecord(this.sc, entity, id);
      if (!rec) throw new NotFoundError(entity, id);
      if (opts.hard) await hardDelete(this.sc, entity, id);
      else await softDelete(this.sc, entity, id, ctx);
      return rec;
    }));
  }

  async restore(entity: string, id: Id, ctx: Ctx): Promise<Rec> {
    this.need(entity);
    return this.userWrite(entity, this.tx(async () => {
      await restoreRecord(this.sc, entity, id, ctx);
      return (await getRecord(this.sc, entity, id))!;
    }));
  }

  async link(entity: string, id: Id, link: string, targetIds: Id[], ctx: Ctx, columns?: LinkColumns): Promise<number> {
    return this.relate(entity, id, link, targetIds, ctx, true, columns);
  }

  async unlink(entity: string, id: Id, link: string, targetIds: Id[], ctx: Ctx): Promise<number> {
    return this.relate(entity, id, link, targetIds, ctx, false);
  }

  private async relate(entity: string, id: Id, link: string, targetIds: Id[], ctx: Ctx, add: boolean, columns?: LinkColumns): Promise<number> {
    this.need(entity);
    const ref = this.registry.resolveLink(entity, link);
    if (!ref) throw new BadRequestError(`Unknown link '${link}'.`, 'link');
    return this.tx(async () => {
      if (!(await getRecord(this.sc, entity, id))) throw new NotFoundError(entity, id);
      for (const t of targetIds) {
        if (!Number.isSafeInteger(t) || !(await getRecord(this.sc, ref.target, t))) throw new NotFoundError(ref.target, t);
      }
      if (ref.field.type === 'links') {
        return add ? addLinks(this.db, ref.key, id, targetIds, ref.inverse, columns) : removeLinks(this.db, ref.key, id, targetIds, ref.inverse);
      }
      // A foreign key: forward sets our column, inverse sets each target's column.
      let n = 0;
      if (ref.field.type === 'parent') {
        if (!ref.inverse) throw new BadRequestError(`Link '${link}' is set through the record itself.`, 'link');
        const typeField = parentTypeField(ref.field.name);
        for (const t of targetIds) {
          const cur = (await getRecord(this.sc, ref.owner, t))!;
          const mine = cur[ref.field.name] === id && cur[typeField] === entity;
          if (add && !mine && await patchRecord(this.sc, ref.owner, t, { [ref.field.name]: id, [typeField]: entity }, ctx)) n++;
          if (!add && mine && await patchRecord(this.sc, ref.owner, t, { [ref.field.name]: null, [typeField]: null }, ctx)) n++;
        }
        return n;
      }
      if (!ref.inverse) {
        const cur = (await getRecord(this.sc, entity, id))![ref.field.name];
        const value = add ? targetIds[targetIds.length - 1] ?? null : targetIds.includes(cur as Id) ? null : cur;
        if (value !== cur && await patchRecord(this.sc, entity, id, { [ref.field.name]: value }, ctx)) n++;
        return n;
      }
      for (const t of targetIds) {
        const cur = (await getRecord(this.sc, ref.owner, t))![ref.field.name];
        if (add && cur !== id && await patchRecord(this.sc, ref.owner, t, { [ref.field.name]: id }, ctx)) n++;
        if (!add && cur === id && await patchRecord(this.sc, ref.owner, t, { [ref.field.name]: null }, ctx)) n++;
      }
      return n;
    });
  }

  massUpdate(entity: string, target: MassTarget, patch: Patch | ((before: Rec) => Patch), ctx: Ctx): Promise<{ count: number; ids: Id[] }> {
    this.need(entity);
    return this.userWrite(entity, this.tx(() => commands.massUpdate(this.sc, entity, target, patch, ctx)));
  }

  massDelete(entity: string, target: MassTarget, ctx: Ctx): Promise<{ count: number; ids: Id[] }> {
    this.need(entity);
    return this.userWrite(entity, this.tx(() => commands.massDelete(this.sc, entity, target, ctx)));
  }

  async merge(entity: string, winnerId: Id, loserIds: Id[], ctx: Ctx): Promise<Rec> {
    this.need(entity);
    return this.userWrite(entity, this.tx(async () => {
      await commands.merge(this.sc, entity, winnerId, loserIds, ctx);
      return (await getRecord(this.sc, entity, winnerId))!;
    }));
  }

  convertLead(leadId: Id, input: ConvertLeadInput, ctx: Ctx): Promise<ConvertLeadResult> {
    return this.tx(() => commands.convertLead(this.sc, leadId, input, ctx));
  }

  async tagAdd(id: Id, tagNames: string[], ctx: Ctx): Promise<void> {
    const entity = await this.entityOf(id);
    if (!entity) throw new NotFoundError('record', id);
    await this.tx(() => commands.tagAdd(this.sc, entity, id, tagNames, ctx));
  }

  async tagRemove(id: Id, tagNames: string[], ctx: Ctx): Promise<void> {
    const entity = await this.entityOf(id);
    if (!entity) throw new NotFoundError('record', id);
    await this.tx(() => commands.tagRemove(this.sc, entity, id, tagNames, ctx));
  }

  changesSince(entity: string, since: string, _ctx: Ctx): Promise<Changes> {
    this.need(entity);
    return commands.changesSince(this.sc, entity, since);
  }

  // ----- background jobs -----

  private readonly runningJobs = new Set<Promise<void>>();

  async startJob(kind: string, work: () => Promise<number>, ctx: Ctx): Promise<Job> {
    const job = await createJob(this.db, kind, ctx);
    // setImmediate fires after the promise continuations queued now, the caller's response among them.
    const run: Promise<void> = new Promise<void>((start) => setImmediate(start))
      .then(() => runJob(this.db, job.id, work))
      .finally(() => this.runningJobs.delete(run));
    this.runningJobs.add(run);
    return job;
  }

  async job(id: Id, ctx: Ctx): Promise<Job> {
    const job = await findJob(this.db, id);
    if (!job) throw new NotFoundError('job', id);
    if (job.user_id !== ctx.user.id && !ctx.user.is_admin) throw new ForbiddenError('The job belongs to another user.');
    return job;
  }

  // ----- users and keys (core/auth.ts) -----

  authenticate(apiKey: string): Promise<User | null> { return this.keys.authenticate(apiKey); }

  checkKey(apiKey: string, use: KeyUse = 'plain'): Promise<KeyCheck> { return this.keys.check(apiKey, use); }

  async authenticateBasic(userName: string, secret: string): Promise<User | null> {
    const user = await this.authenticate(secret);
    return user && user.user_name.toLowerCase() === userName.toLowerCase() ? user : null;
  }

  /** A new user with an API key, and an HMAC secret with `hmac` (CLI `users add`). */
  async createUser(userName: string, opts: NewUser = {}): Promise<{ user: User; key: string; hmacSecret?: string }> {
    return this.keys.createUser(userName, opts, async (values) => insertRecord(this.sc, 'user', values, { user: await this.admin() }));
  }

  /** Every live user, and whether its key is an HMAC key (CLI `users list`). */
  listUsers(): Promise<UserListing[]> { return listUsers(this.db); }

  /** The store context, for the demo loader and benchmarks (not for dialects). */
  get store(): StoreContext { return this.sc; }
}

