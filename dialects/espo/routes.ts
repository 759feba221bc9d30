// The EspoCRM routes (espocrm.md §1): auth before routing, JSON bodies, then the fixed routes, controller actions,
// records and relationships; anything else is a 404. First match wins, so `/{E}/action/{x}` beats `/{E}/{id}/{link}`.
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { errorHandler, handle, jsonBody } from '../shared/http';
import type { DialectContext } from '../types';
import { espoAuth } from './auth';
import { errorRenderer, sendError } from './render';
import { EspoError } from './errors';
import { create, list, read, remove, update } from './records';
import { listRelated, relate, unrelate } from './relations';
import { controllerAction, massAction } from './actions';
import { massActionStatus } from './mass-jobs';
import { convertById } from './convert';
import { appUser, metadata } from './appdata';

type Handler = (ctx: DialectContext, req: Request, res: Response) => Promise<void>;

/** A JSON array body becomes `{list: [...]}`; any other non-object is 400; no body is `{}` (RequestWrapper). */
function objectBody(req: Request, _res: Response, next: NextFunction): void {
  const b: unknown = req.body;
  if (b === undefined) return next(); // no body (every GET): handlers read it as {}
  if (b === null && req.method === 'DELETE') req.body = {};
  else if (Array.isArray(b)) req.body = { list: b };
  else if (typeof b !== 'object' || b === null) return next(new EspoError(400, 'Body is not a JSON object.'));
  next();
}

export function espoRouter(ctx: DialectContext): Router {
  const r = Router({ caseSensitive: true, strict: false });
  const h = (fn: Handler) => handle((req, res) => fn(ctx, req, res));
  r.use(espoAuth(ctx));
  r.use(jsonBody(ctx.bodyLimit));
  r.use(objectBody);

  r.get('/App/user', h(appUser));
  r.get('/Metadata', h(metadata));
  r.post('/MassAction', h(massAction));
  r.get('/MassAction/:id/status', h(massActionStatus));
  r.route('/:entity/action/:action').get(h(controllerAction)).post(h(controllerAction)).put(h(controllerAction));
  r.post('/Lead/:id/action/convert', h(convertById));

  r.route('/:entity').get(h(list)).post(h(create));
  r.route('/:entity/:id').get(h(read)).put(h(update)).patch(h(update)).delete(h(remove));
  r.route('/:entity/:id/:link').get(h(listRelated)).post(h(relate)).delete(h(unrelate));

  r.use((_req: Request, res: Response) => sendError(res, 404, ''));
  r.use(errorHandler(errorRenderer(ctx.core.registry, ctx.fault)));
  return r;
}
