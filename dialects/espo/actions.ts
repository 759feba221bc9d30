// Controller actions (espocrm.md §9): mass update / delete in both shapes (legacy `PUT /{E}/action/massUpdate`,
// `POST /{E}/action/massDelete`; current `POST /MassAction`), and the dispatcher of `/{E}/action/{action}`.
import type { Request, Response } from 'express';
import type { Ctx, Id, MassTarget, Patch, Where } from '../../core/types';
import { ctxOf } from '../shared/http';
import type { DialectContext } from '../types';
import { formatEspoId, parseEspoId } from './names';
import { ESPO_SEMANTICS, parseWhere } from './query';
import { send } from './render';
import { readAttributes } from './input';
import { bodyOf, targetFor } from './records';
import { type EspoTarget, resolveTarget } from './target';
import { EspoError, EspoValidationError } from './errors';
import { convert, convertAttributes } from './convert';

type Action = (ctx: DialectContext, req: Request, res: Response, target: EspoTarget) => Promise<void>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** By ids (activity types also by kind), or by where; `where` wins when both are given. */
function massTarget(ctx: DialectContext, c: Ctx, target: EspoTarget, ids: unknown, where: unknown): MassTarget {
  const registry = ctx.core.registry;
  if (where !== undefined && where !== null) {
    return { where: parseWhere(registry, target.entity, target.kind, where, new Date(), { userId: c.user.id }), semantics: ESPO_SEMANTICS };
  }
  const list = (Array.isArray(ids) ? ids : []).map(parseEspoId).filter((x): x is Id => x !== undefined);
  if (!target.kinds) return { ids: list };
  const byKind: Where = { and: [{ field: 'id', op: 'in', value: list }, { field: 'kind', op: 'in', value: target.kinds }] };
  return { where: list.length ? byKind : { or: [] } };
}

/** The patch of a mass update; a value failing EspoCRM's rules skips every record (count 0), as EspoCRM does. */
function massPatch(ctx: DialectContext, target: EspoTarget, values: unknown): Patch | undefined {
  if (!isObject(values)) throw new EspoError(400);
  try {
    return readAttributes(ctx.core.registry, target, values, { creating: false });
  } catch (e) {
    if (e instanceof EspoValidationError) return undefined;
    throw e;
  }
}

async function massUpdate(ctx: DialectContext, c: Ctx, target: EspoTarget, mt: MassTarget, values: unknown): Promise<{ count: number; ids: Id[] }> {
  const patch = massPatch(ctx, target, values);
  if (!patch || !Object.keys(patch).length) return { count: 0, ids: [] };
  return ctx.core.massUpdate(target.entity, mt, patch, c);
}

function answer(res: Response, r: { count: number; ids: Id[] }, byIds: boolean): void {
  send(res, byIds ? { count: r.count, ids: r.ids.map(formatEspoId) } : { count: r.count });
}

/** Legacy (EspoCRM <= 6.1): `{ids, attributes}` or `{byWhere: true, where, attributes}`. */
const legacyMassUpdate: Action = async (ctx, req, res, target) => {
  const body = bodyOf(req);
  const c = ctxOf(res);
  const byWhere = body.byWhere === true || body.byWhere === 'true';
  const mt = massTarget(ctx, c, target, body.ids, byWhere ? body.where ?? [] : undefined);
  answer(res, await massUpdate(ctx, c, target, mt, body.attributes ?? body.data), !byWhere);
};

const legacyMassDelete: Action = async (ctx, req, res, target) => {
  const body = bodyOf(req);
  const c = ctxOf(res);
  const byWhere = body.byWhere === true || body.byWhere === 'true';
  const mt = massTarget(ctx, c, target, body.ids, byWhere ? body.where ?? [] : undefined);
  answer(res, await ctx.core.massDelete(target.entity, mt, c), !byWhere);
};

/** `searchParams` of a mass action: its where, and the named filters as legacy where items. */
function searchParamsWhere(sp: unknown): unknown[] {
  let v = sp;
  if (typeof v === 'string') {
    try { v = JSON.parse(v); } catch { throw new EspoError(400, 'Invalid search params JSON.'); }
  }
  if (!isObject(v)) throw new EspoError(400, 'Invalid search params JSON.');
  const items = Array.isArray(v.where) ? [...v.where] : [];
  if (typeof v.primaryFilter === 'string') items.push({ type: 'primary', value: v.primaryFilter });
  if (Array.isArray(v.boolFilterList)) items.push({ type: 'bool', value: v.boolFilterList });
  if (typeof v.textFilter === 'string') items.push({ type: 'textFilter', value: v.textFilter });
  return items;
}

/** `POST /MassAction {entityType, action, params: {ids | where | searchParams}, data}` (EspoCRM 7+). */
export async function massAction(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const body = bodyOf(req);
  const c = ctxOf(res);
  const { entityType, action, params } = body;
  if (typeof entityType !== 'string' || typeof action !== 'string' || !isObject(params)) throw new EspoError(400);
  const target = resolveTarget(ctx.core.registry, entityType);
  res.locals.espoTarget = target;
  if (action !== 'update' && action !== 'delete') throw new EspoError(404, `Mass action '${action}' not found.`);
  const hasWhere = params.where !== undefined && params.where !== null;
  const hasSearch = params.searchParams !== undefined && params.searchParams !== null;
  if (!hasWhere && !hasSearch && !Array.isArray(params.ids)) throw new EspoError(400, 'Bad search params for mass action.');
  const where = hasWhere || hasSearch
    ? [...(Array.isArray(params.where) ? params.where : []), ...(hasSearch ? searchParamsWhere(params.searchParams) : [])]
    : undefined;
  const mt = massTarget(ctx, c, target, params.ids, where);
  let r: { count: number; ids: Id[] };
  if (action === 'delete') r = await ctx.core.massDelete(target.entity, mt, c);
  else {
    const data = isObject(body.data) ? body.data : {};
    r = await massUpdate(ctx, c, target, mt, isObject(data.values) ? data.values : data);
  }
  answer(res, r, !where);
}

const ACTIONS: Record<string, Action> = {
  'PUT massUpdate': legacyMassUpdate,
  'POST massDelete': legacyMassDelete,
  'Lead POST convert': convert,
  'Lead POST getConvertAttributes': convertAttributes,
};

/** `/{E}/action/{action}` (GET, POST, PUT). */
export async function controllerAction(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const target = targetFor(ctx, req, res);
  const action = String(req.params.action);
  const fn = ACTIONS[`${target.type} ${req.method} ${action}`] ?? ACTIONS[`${req.method} ${action}`];
  if (!fn) throw new EspoError(404, `Action ${req.method} '${action}' does not exist in controller '${target.type}'.`);
  await fn(ctx, req, res, target);
}
