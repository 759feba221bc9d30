// The endpoints (react-admin.md §3.1, §5), thin: parse -> core call -> render. Writes are in routes-write.ts,
// configuration and custom object definitions in routes-config.ts. One handler with a route table (see
// dialects/shared/route-table.ts); literal routes come before `/:resource`.
import type { Request, RequestHandler, Response } from 'express';
import type { DialectContext } from '../types';
import { ctxOf, jsonBody, sendJson } from '../shared/http';
import { BadPathError, RouteTable, tableHandler } from '../shared/route-table';
import { cors, bearerAuth } from './auth';
import { loadOne, parseId, resourceOf } from './access';
import { parseList, searchText } from './query';
import { errorMiddleware, renderRecord, sendList, WireError } from './render';
import { companyNameSearch } from './summaries';
import { writeRoutes } from './routes-write';
import { configRoutes } from './routes-config';

const notFound = () => new WireError(404, 'Not found', 'NOT_FOUND');

/** /api/v1 (EspoCRM) and /api/crm (Corteza) are other dialects' mounts: never a react-admin resource. */
const otherMounts: RequestHandler = (req, _res, next) => next(/^\/(v1|crm)(\/|$)/i.test(req.path) ? notFound() : undefined);

export function reactAdminRouter(ctx: DialectContext): RequestHandler {
  const { core } = ctx;
  const table = new RouteTable();
  const body = jsonBody(ctx.bodyLimit, true);
  configRoutes(table, ctx, body);
  writeRoutes(table, ctx, body);

  table.add('GET', '/:resource', async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const resource = await resourceOf(core, String(req.params.resource), res);
    const params = req.query as Record<string, unknown>;
    const q = resource.companyNameSearch ? searchText(params) : undefined;
    const searchAlso = q !== undefined ? companyNameSearch(q) : undefined;
    const plan = parseList(resource, params, { searchAlso });
    const found = await core.find(resource.entity, plan.query, c);
    sendList(res, resource.name, plan.start, found.records.map((r) => renderRecord(resource, r)), found.total ?? found.records.length);
  });

  table.add('GET', '/:resource/:id', async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const resource = await resourceOf(core, String(req.params.resource), res);
    const rec = await loadOne(core, c, resource, parseId(req.params.id));
    sendJson(res, 200, renderRecord(resource, rec));
  });

  // Anything not in react-admin's shape is a fault: logged with the request id, answered without details.
  const fault = (err: unknown, res: Response) => {
    ctx.fault?.(err, res);
    sendJson(res, 500, { error: 'Internal Server Error', requestId: res.locals.requestId });
  };
  return tableHandler({
    steps: [cors(), otherMounts, bearerAuth(ctx)],
    table,
    notFound: (req, res) => errorMiddleware(notFound(), req, res, () => undefined),
    fail: (err, req, res) => errorMiddleware(err instanceof BadPathError ? notFound() : err, req, res, (e) => fault(e, res)),
  });
}
