// Record CRUD (espocrm.md §4, §6, §9 Email, §10): list, read, create, update, delete. Thin: parse -> core -> render.
import type { Request, Response } from 'express';
import type { CoreApi, Ctx, Patch, Rec } from '../../core/types';
import { NotFoundError } from '../../core/errors';
import { ctxOf } from '../shared/http';
import type { DialectContext } from '../types';
import { changesLinks, parseEspoId } from './names';
import { type EspoListQuery, parseListParams } from './query';
import { type Attributes, renderList, renderRecord, send } from './render';
import { readAttributes } from './input';
import { applySaveHooks } from './hooks';
import { assertLinkedRecords } from './where-links';
import { findDuplicates, skipDuplicateCheck } from './duplicates';
import { type EspoTarget, resolveTarget, shows } from './target';
import { EspoError, notFoundOnRead, notFoundOnWrite } from './errors';
import { assertCurrentVersion, isVersioned, versionHeader } from './versions';

export function targetFor(ctx: DialectContext, req: Request, res: Response): EspoTarget {
  const target = resolveTarget(ctx.core.registry, String(req.params.entity));
  res.locals.espoTarget = target;
  return target;
}

export function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

export function noTotalHeader(req: Request): boolean {
  const v = req.headers['x-no-total'];
  return typeof v === 'string' && ['true', '1'].includes(v.toLowerCase());
}

/** The canonical fields a `select` needs rendered (the renderer then keeps only `q.attributes`). */
function renderSelect(q: EspoListQuery): string[] | undefined {
  if (!q.attributes) return undefined;
  const extra = q.contactPoints ? ['email', 'phone', 'emails', 'phones'] : [];
  return [...(q.select ?? []), ...(Array.isArray(q.links) ? q.links : []), ...extra];
}

/** One page `{total, list}`; without a count, maxSize + 1 rows tell -1 (more) from -2 (no more). */
export async function findPage(core: CoreApi, c: Ctx, target: EspoTarget, q: EspoListQuery): Promise<{ total: number; list: Attributes[] }> {
  await assertLinkedRecords(core, c, q.linkedIds);
  const query = q.noTotal ? { ...q, limit: q.maxSize + 1, count: false } : q;
  const r = await core.find(target.entity, query, c);
  let recs = r.records;
  let total = r.total ?? recs.length;
  if (q.noTotal) {
    total = recs.length > q.maxSize ? -1 : -2;
    recs = recs.slice(0, q.maxSize);
  }
  let list = renderList(core.registry, target.entity, recs, { kind: target.kind, select: renderSelect(q) });
  if (q.attributes) {
    const keep = new Set(q.attributes);
    list = list.map((a) => {
      const out: Attributes = {};
      for (const k in a) if (keep.has(k)) out[k] = a[k];
      return out;
    });
  }
  return { total, list };
}

export function listQuery(ctx: DialectContext, req: Request, target: EspoTarget, c: Ctx): EspoListQuery {
  return parseListParams(ctx.core.registry, target.entity, target.kind, req.query as Record<string, unknown>,
    { noTotal: noTotalHeader(req) }, { userId: c.user.id });
}

/** The stored record behind `/{E}/{id}`, visible through this target; `missing` builds the 404. */
export async function loadRecord(core: CoreApi, c: Ctx, target: EspoTarget, rawId: string,
  missing: (id: string) => EspoError, withDeleted = false): Promise<Rec> {
  const id = parseEspoId(rawId);
  if (id === undefined) throw missing(rawId);
  try {
    const rec = await core.get(target.entity, id, c, { withDeleted });
    if (!shows(target, rec)) throw missing(rawId);
    return rec;
  } catch (e) {
    if (e instanceof NotFoundError) throw missing(rawId);
    throw e;
  }
}

export function full(ctx: DialectContext, target: EspoTarget, rec: Rec): Attributes {
  return renderRecord(ctx.core.registry, target.entity, rec, { full: true, kind: target.kind });
}

export async function list(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const target = targetFor(ctx, req, res);
  const c = ctxOf(res);
  send(res, await findPage(ctx.core, c, target, listQuery(ctx, req, target, c)));
}

export async function read(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const target = targetFor(ctx, req, res);
  const c = ctxOf(res);
  const rec = await loadRecord(ctx.core, c, target, String(req.params.id), notFoundOnRead, c.user.is_admin);
  send(res, full(ctx, target, rec));
}

/** Email (espocrm.md §9): sending needs a To address (checked before validation, as EspoCRM's send does). */
function assertSendable(body: Record<string, unknown>): void {
  const to = body.to;
  if (body.status === 'Sending' && (to === undefined || to === null || (typeof to === 'string' && to.trim() === ''))) {
    throw new EspoError(400, 'Empty To address.');
  }
}

/** Archived unless told; `Sending` is marked Sent at once (no SMTP); `from` defaults to the caller's address. */
function emailDefaults(body: Record<string, unknown>, patch: Patch, c: Ctx): void {
  if (body.status === 'Sending') {
    patch.status = 'Sent';
    patch.date_sent = new Date().toISOString().slice(0, 19).replace('T', ' ');
  }
  if ((patch.from_address === undefined || patch.from_address === null) && c.user.email) patch.from_address = c.user.email;
}

export async function create(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const target = targetFor(ctx, req, res);
  const c = ctxOf(res);
  const body = bodyOf(req);
  const registry = ctx.core.registry;
  if (target.entity === 'email') assertSendable(body);
  const patch = readAttributes(registry, target, body, { creating: true });
  applySaveHooks(target.entity, patch, undefined);
  if (target.entity === 'email') emailDefaults(body, patch, c);
  if (target.kind) patch.kind = target.kind;
  if (!skipDuplicateCheck(req, body)) {
    const found = await findDuplicates(ctx.core, c, target.entity, patch);
    if (found.length) throw new EspoError(409, 'duplicate', found.map((r) => full(ctx, target, r)));
  }
  const rec = await ctx.core.create(target.entity, patch, c);
  send(res, full(ctx, target, rec));
}

export async function update(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const target = targetFor(ctx, req, res);
  const c = ctxOf(res);
  const raw = String(req.params.id);
  const id = parseEspoId(raw);
  if (id === undefined) throw notFoundOnWrite(raw);
  const sent = versionHeader(req);
  const outcome = { linkUpdated: false };
  // The patch is worked out from the stored record inside the core's transaction (one read, not two); the version
  // check too, so that no other write comes between it and this one.
  const rec = await ctx.core.update(target.entity, id, (before) => {
    if (!shows(target, before)) throw notFoundOnWrite(raw);
    if (sent !== undefined && isVersioned(ctx.core.registry, target)) assertCurrentVersion(ctx.core.registry, target, bodyOf(req), before, sent);
    const patch = readAttributes(ctx.core.registry, target, bodyOf(req), { creating: false, before });
    outcome.linkUpdated = changesLinks(ctx.core.registry, target.entity, before, patch);
    // After the header's check: a role written for a new title is not a link the client changed.
    applySaveHooks(target.entity, patch, before);
    return patch;
  }, c).catch((e: unknown) => { throw e instanceof NotFoundError ? notFoundOnWrite(raw) : e; });
  if (outcome.linkUpdated) res.setHeader('X-Record-Link-Updated', 'true');
  send(res, full(ctx, target, rec));
}

export async function remove(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const target = targetFor(ctx, req, res);
  const c = ctxOf(res);
  const rec = await loadRecord(ctx.core, c, target, String(req.params.id), notFoundOnWrite);
  await ctx.core.delete(target.entity, rec.id, c);
  send(res, true);
}
