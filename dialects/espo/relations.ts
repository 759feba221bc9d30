// Relationships (espocrm.md §8): `GET|POST|DELETE /{E}/{id}/{link}`. Relate / unrelate only through hasMany,
// manyMany and hasChildren links; belongsTo is 403. Unrelate reads the JSON body and, for legacy clients, `?id=` /
// `?ids[]=` too (a documented leniency: real EspoCRM reads only the body). Mass link (`massRelate`): mass-link.ts.
import type { Request, Response } from 'express';
import type { Ctx, Id, Rec, Where } from '../../core/types';
import { NotFoundError } from '../../core/errors';
import { ctxOf } from '../shared/http';
import type { DialectContext } from '../types';
import { type EspoLink, espoLink, parseEspoId, relatedWhere } from './names';
import { send } from './render';
import { bodyOf, findPage, full, listQuery, loadRecord, targetFor } from './records';
import { type EspoTarget, targetOf } from './target';
import { EspoError, notFoundOnRead, notFoundOnWrite } from './errors';
import { checkMassLink, isMassRelate, massLinkIds } from './mass-link';
import { afterRelatePatch } from './hooks';

const FORBIDDEN = 'Only manyMany, hasMany & hasChildren relations are allowed.';

function linkOf(ctx: DialectContext, target: EspoTarget, name: string): EspoLink {
  const link = espoLink(ctx.core.registry, target.entity, target.kind, name);
  if (!link) throw new EspoError(404, 'Link does not exist.');
  return link;
}

function foreignTarget(ctx: DialectContext, link: EspoLink): EspoTarget {
  return targetOf(ctx.core.registry, link.target as string, link.targetKinds?.[0]);
}

export async function listRelated(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const target = targetFor(ctx, req, res);
  const link = linkOf(ctx, target, String(req.params.link));
  const c = ctxOf(res);
  const rec = await loadRecord(ctx.core, c, target, String(req.params.id), notFoundOnRead);
  if (link.type === 'belongsToParent') return send(res, await parentList(ctx, c, rec, link));
  const foreign = foreignTarget(ctx, link);
  const q = listQuery(ctx, req, foreign, c);
  const related = relatedWhere(link, target.entity, rec.id) as Where;
  q.where = q.where ? { and: [related, q.where] } : related;
  send(res, await findPage(ctx.core, c, foreign, q));
}

/** A parent link lists the one parent record (0 or 1 items). */
async function parentList(ctx: DialectContext, c: Ctx, rec: Rec, link: EspoLink): Promise<{ total: number; list: unknown[] }> {
  const field = link.field as string;
  const type = rec[field.replace(/_id$/, '_type')];
  const id = rec[field];
  if (typeof type !== 'string' || typeof id !== 'number' || !ctx.core.registry.has(type)) return { total: 0, list: [] };
  try {
    const parent = await ctx.core.get(type, id, c);
    return { total: 1, list: [full(ctx, targetOf(ctx.core.registry, type, parent.kind as string | undefined), parent)] };
  } catch (e) {
    if (e instanceof NotFoundError) return { total: 0, list: [] };
    throw e;
  }
}

function rawIds(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>);
  return [v];
}

/** The foreign ids of a relate / unrelate: `id` and `ids`; a non-hex id names no record (404). */
function foreignIds(source: Record<string, unknown>): Id[] {
  return [...rawIds(source.id), ...rawIds(source.ids)].map((raw) => {
    const id = parseEspoId(raw);
    if (id === undefined) throw new EspoError(404);
    return id;
  });
}

/** Every foreign record must exist (and, for Call / Meeting / Task, be of that type). */
async function checkForeign(ctx: DialectContext, c: Ctx, link: EspoLink, ids: Id[]): Promise<void> {
  const foreign = foreignTarget(ctx, link);
  for (const id of ids) {
    try {
      const rec = await ctx.core.get(foreign.entity, id, c);
      if (foreign.kinds && !foreign.kinds.includes(String(rec.kind))) throw new EspoError(404);
    } catch (e) {
      if (e instanceof NotFoundError) throw new EspoError(404);
      throw e;
    }
  }
}

async function relateAll(ctx: DialectContext, c: Ctx, target: EspoTarget, rec: Rec, link: EspoLink, ids: Id[], add: boolean): Promise<void> {
  await checkForeign(ctx, c, link, ids);
  const core = ctx.core;
  if (link.type === 'hasChildren') {
    const field = link.key.split('.')[1];
    const typeField = field.replace(/_id$/, '_type');
    for (const id of ids) {
      const child = await core.get(link.target as string, id, c);
      if (add) await core.update(link.target as string, id, { [field]: rec.id, [typeField]: target.entity }, c);
      else if (child[field] === rec.id && child[typeField] === target.entity) {
        await core.update(link.target as string, id, { [field]: null, [typeField]: null }, c);
      }
    }
    return;
  }
  if (add) await core.link(target.entity, rec.id, link.key, ids, c);
  else await core.unlink(target.entity, rec.id, link.key, ids, c);
}

/** Mass link answers true once allowed: EspoCRM does so for a user who may edit every foreign record, as all may here. */
async function massRelate(ctx: DialectContext, req: Request, res: Response, target: EspoTarget): Promise<void> {
  const body = bodyOf(req);
  checkMassLink(target, String(req.params.link), body);
  const link = linkOf(ctx, target, String(req.params.link));
  const c = ctxOf(res);
  const rec = await loadRecord(ctx.core, c, target, String(req.params.id), () => new EspoError(404));
  const ids = await massLinkIds(ctx, c, foreignTarget(ctx, link), body);
  if (ids.length) await relateAll(ctx, c, target, rec, link, ids, true);
  send(res, true);
}

async function relation(ctx: DialectContext, req: Request, res: Response, add: boolean): Promise<void> {
  const target = targetFor(ctx, req, res);
  const body = bodyOf(req);
  if (add && isMassRelate(body)) return massRelate(ctx, req, res, target);
  const link = linkOf(ctx, target, String(req.params.link));
  const c = ctxOf(res);
  if (link.type === 'belongsTo' || link.type === 'belongsToParent') throw new EspoError(403, FORBIDDEN);
  const rec = await loadRecord(ctx.core, c, target, String(req.params.id), notFoundOnWrite);
  const ids = foreignIds(body.id !== undefined || body.ids !== undefined || add ? body : req.query as Record<string, unknown>);
  if (!ids.length) return send(res, false);
  await relateAll(ctx, c, target, rec, link, ids, add);
  const hook = add ? afterRelatePatch(target.entity, link.name, rec, ids) : undefined;
  if (hook) await ctx.core.update(target.entity, rec.id, hook, c);
  send(res, true);
}

export const relate = (ctx: DialectContext, req: Request, res: Response) => relation(ctx, req, res, true);
export const unrelate = (ctx: DialectContext, req: Request, res: Response) => relation(ctx, req, res, false);
