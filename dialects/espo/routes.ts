// The EspoCRM routes (espocrm.md §1): the two public app-data routes, then auth before routing, JSON bodies, then
// the fixed routes, controller actions, records and relationships; anything else is a 404. First match wins, so `/{E}/action/{x}` beats `/{E}/{id}/{link}`.
// One handler with a route table, not an express router: see dialects/shared/route-table.ts.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { jsonBody } from '../shared/http';
import { BadPathError, RouteTable, runRoute, tableHandler } from '../shared/route-table';
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
import { i18n } from './i18n';
import { settings } from './settings';

type Handler = (ctx: DialectContext, req: Request, res: Response) => Promise<void>;

/** A JSON array body becomes `{list: [...]}`; any other non-object is 400; no body is `{}` (RequestWrapper). */
function checkBody(req: Request, _res: Response, next: NextFunction): void {
  const b: unknown = req.body;
  if (b === undefined) return next(); // no body (every GET): handlers read it as {}
  if (b === null && req.method === 'DELETE') req.body = {};
  else if (Array.isArray(b)) req.body = { list: b };
  else if (typeof b !== 'object' || b === null) return next(new EspoError(400, 'Body is not a JSON object.'));
  next();
}

const bind = (ctx: DialectContext, fn: Handler) => (req: Request, res: Response) => fn(ctx, req, res);

/** EspoCRM serves these two without credentials (routes.json `noAuth`): a wrong key does not make them 401. */
function publicRoutes(ctx: DialectContext): RouteTable {
  return new RouteTable().add('GET', '/I18n', bind(ctx, i18n)).add('GET', '/Settings', bind(ctx, settings));
}

function routes(ctx: DialectContext): RouteTable {
  const h = (fn: Handler) => bind(ctx, fn);
  return new RouteTable()
    .add('GET', '/App/user', h(appUser))
    .add('GET', '/Metadata', h(metadata))
    .add('POST', '/MassAction', h(massAction))
    .add('GET', '/MassAction/:id/status', h(massActionStatus))
    .add('GET,POST,PUT', '/:entity/action/:action', h(controllerAction))
    .add('POST', '/Lead/:id/action/convert', h(convertById))
    .add('GET', '/:entity', h(list))
    .add('POST', '/:entity', h(create))
    .add('GET', '/:entity/:id', h(read))
    .add('PUT,PATCH', '/:entity/:id', h(update))
    .add('DELETE', '/:entity/:id', h(remove))
    .add('GET', '/:entity/:id/:link', h(listRelated))
    .add('POST', '/:entity/:id/:link', h(relate))
    .add('DELETE', '/:entity/:id/:link', h(unrelate));
}

export function espoRouter(ctx: DialectContext): RequestHandler {
  const open = publicRoutes(ctx);
  const render = errorRenderer(ctx.core.registry, ctx.fault);
  const fail = (err: unknown, req: Request, res: Response) => {
    // A path that is not valid percent-encoding matches no EspoCRM route.
    if (err instanceof BadPathError) sendError(res, 404, '');
    else render(err, req, res);
  };
  const publicRoute: RequestHandler = (req, res, next) => {
    if (!runRoute(open, req, res, (err) => fail(err, req, res))) next();
  };
  return tableHandler({
    steps: [publicRoute, espoAuth(ctx), jsonBody(ctx.bodyLimit), checkBody],
    table: routes(ctx), fail, notFound: (_req, res) => sendError(res, 404, ''),
  });
}
