// What every route needs: the resource of the URL, the `:id`, one record as the resource sees it.
import type { Response } from 'express';
import type { CoreApi, Ctx, Id, Rec, Where } from '../../core/types';
import { type Resource, resolveResource } from './names';
import { invalidRequest, notFound, unknownResource } from './render';
import { countsOf } from './summaries';
import { SEMANTICS } from './query';

/** The resource a slug names (404 `Unknown resource` otherwise); remembered for error messages in wire names. */
export async function resourceOf(core: CoreApi, slug: string, res: Response): Promise<Resource> {
  const resource = resolveResource(core.registry, slug);
  if (!resource) throw unknownResource();
  res.locals.raResource = resource;
  return resource;
}

/** `:id` must be a positive decimal integer: otherwise 400 `Invalid request` (as upstream). */
export function parseId(raw: unknown): Id {
  const s = String(raw ?? '');
  if (!/^\d{1,16}$/.test(s)) throw invalidRequest();
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 1) throw invalidRequest();
  return n;
}

/** One record with what the resource renders, inside the resource's scope; undefined if there is none. */
export async function findOne(core: CoreApi, ctx: Ctx, res: Resource, id: Id, withDeleted = false): Promise<Rec | undefined> {
  const byId: Where = { field: 'id', op: 'eq', value: id };
  const found = await core.find(res.entity, {
    where: res.scope ? { and: [res.scope, byId] } : byId,
    limit: 1,
    deleted: withDeleted ? 'include' : 'exclude',
    names: res.load.names, links: res.load.links, contactPoints: res.load.contactPoints,
    semantics: SEMANTICS, counts: countsOf(res),
  }, ctx);
  return found.records[0];
}

export async function loadOne(core: CoreApi, ctx: Ctx, res: Resource, id: Id, withDeleted = false): Promise<Rec> {
  const rec = await findOne(core, ctx, res, id, withDeleted);
  if (!rec) throw notFound();
  return rec;
}
