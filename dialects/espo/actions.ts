// Controller actions (espocrm.md §9): mass update / delete in both shapes (legacy `PUT /{E}/action/massUpdate`,
// `POST /{E}/action/massDelete`; current `POST /MassAction`, also idle), and the dispatcher of `/{E}/action/{action}`.
import type { Request, Response } from 'express';
import type { Ctx, Id } from '../../core/types';
import { ctxOf } from '../shared/http';
import type { DialectContext } from '../types';
import { formatEspoId } from './names';
import { send } from './render';
import { bodyOf, targetFor } from './records';
import { type EspoTarget, resolveTarget } from './target';
import { EspoError } from './errors';
import { convert, convertAttributes } from './convert';
import { type MassSelection, isObject, legacySelection, massActionSelection, phpTruthy } from './mass-params';
import { type MassPatch, attributesPatch, massUpdatePatch } from './mass-update';
import { idleFlag, startIdle } from './mass-jobs';

type Action = (ctx: DialectContext, req: Request, res: Response, target: EspoTarget) => Promise<void>;
type Outcome = { count: number; ids: Id[] };

/** Runs a mass update (nothing to do: count 0 without touching the store). */
function updateRun(ctx: DialectContext, c: Ctx, target: EspoTarget, sel: MassSelection, patch: MassPatch | undefined): () => Promise<Outcome> {
  if (!patch) return async () => ({ count: 0, ids: [] });
  return () => ctx.core.massUpdate(target.entity, sel.target, patch, c);
}

function answer(res: Response, r: Outcome, byIds: boolean): void {
  send(res, byIds ? { count: r.count, ids: r.ids.map(formatEspoId) } : { count: r.count });
}

/** Legacy (EspoCRM <= 6.1): `{ids, attributes}` or `{byWhere: true, where, attributes}`. */
const legacyMassUpdate: Action = async (ctx, req, res, target) => {
  const body = bodyOf(req);
  const c = ctxOf(res);
  const attributes = body.attributes ?? body.data;
  if (!isObject(attributes)) throw new EspoError(400);
  const sel = legacySelection(ctx, c, target, body);
  answer(res, await updateRun(ctx, c, target, sel, attributesPatch(ctx.core.registry, target, attributes))(), sel.byIds);
};

const legacyMassDelete: Action = async (ctx, req, res, target) => {
  const c = ctxOf(res);
  const sel = legacySelection(ctx, c, target, bodyOf(req));
  answer(res, await ctx.core.massDelete(target.entity, sel.target, c), sel.byIds);
};

/**
 * `POST /MassAction {entityType, action, params: {ids | where | searchParams}, data, idle}` (EspoCRM 7+). Everything
 * is checked before an idle action is accepted, so a bad request is a 4xx now rather than a `Failed` job later.
 */
export async function massAction(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const body = bodyOf(req);
  const c = ctxOf(res);
  const { entityType, action, params } = body;
  if (typeof entityType !== 'string' || typeof action !== 'string' || !phpTruthy(entityType) || !phpTruthy(action)
    || !isObject(params)) throw new EspoError(400);
  const idle = idleFlag(body.idle);
  const target = resolveTarget(ctx.core.registry, entityType);
  res.locals.espoTarget = target;
  const sel = massActionSelection(ctx, c, target, params);
  if (action !== 'update' && action !== 'delete') throw new EspoError(404, `Mass action '${action}' not found.`);
  const run = action === 'delete'
    ? () => ctx.core.massDelete(target.entity, sel.target, c)
    : updateRun(ctx, c, target, sel, massUpdatePatch(ctx.core.registry, target, body.data));
  if (idle) return startIdle(ctx, res, c, run);
  answer(res, await run(), sel.byIds);
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
