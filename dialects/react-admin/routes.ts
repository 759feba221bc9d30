// The endpoints (react-admin.md §3.1, §5), thin: parse -> core call -> render. Writes are in routes-write.ts,
// configuration and custom object definitions in routes-config.ts.
import express from 'express';
import type { Request, Response, Router } from 'express';
import type { DialectContext } from '../types';
import { ctxOf, handle, jsonBody, sendJson } from '../shared/http';
import { cors, bearerAuth } from './auth';
import { loadOne, parseId, resourceOf } from './access';
import { parseList, searchText } from './query';
import { errorMiddleware, renderRecord, sendList, WireError } from './render';
import { companyNameSearch } from './summaries';
import { writeRoutes } from './routes-write';
import { configRoutes } from './routes-config';

export function reactAdminRouter(ctx: DialectContext): Router {
  const router = express.Router();
  const { core } = ctx;
  const body = jsonBody(ctx.bodyLimit, true);

  router.use(cors());
  // /api/v1 (EspoCRM) and /api/crm (Corteza) are other dialects' mounts: never a react-admin resource.
  router.use(['/v1', '/crm'], (_req, _res, next) => next(new WireError(404, 'Not found', 'NOT_FOUND')));
  router.use(bearerAuth(ctx));

  configRoutes(router, ctx, body);
  writeRoutes(router, ctx, body);

  router.get('/:resource', handle(async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const resource = await resourceOf(core, String(req.params.resource), res);
    const params = req.query as Record<string, unknown>;
    const q = resource.companyNameSearch ? searchText(params) : undefined;
    const searchAlso = q !== undefined ? companyNameSearch(q) : undefined;
    const plan = parseList(resource, params, { searchAlso });
    const found = await core.find(resource.entity, plan.query, c);
    sendList(res, resource.name, plan.start, found.records.map((r) => renderRecord(resource, r)), found.total ?? found.records.length);
  }));

  router.get('/:resource/:id', handle(async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const resource = await resourceOf(core, String(req.params.resource), res);
    const rec = await loadOne(core, c, resource, parseId(req.params.id));
    sendJson(res, 200, renderRecord(resource, rec));
  }));

  router.use((_req, _res, next) => next(new WireError(404, 'Not found', 'NOT_FOUND')));
  router.use(errorMiddleware);
  return router;
}
