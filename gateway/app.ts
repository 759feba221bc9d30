// The gateway's request listener: request ids, logs, the gateway's own endpoints, and every dialect at its mounts
// (bare dialects straight from the front door, the others through express).
import type http from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import qs from 'qs';
import type { Logger } from 'pino';
import type { Core } from '../core/core';
import type { Dialect, DialectContext } from '../dialects/types';
import { DIALECTS } from './dialects';
import { type BareMount, frontDoor } from './front-door';
import { VERSION } from './version';

export interface AppOptions {
  core: Core;
  authRequired: boolean;
  bodyLimit?: string;
  logger?: Logger;
  dialects?: Dialect[];
  /** Serve only this dialect, at the root (`--listen <dialect>=<port>`). */
  only?: string;
}

/** The whole gateway as one node request listener (for http.createServer, or supertest). */
export type GatewayApp = http.RequestListener;

// EspoCRM's bracket queries nest deep and carry long `in` lists; qs's defaults (depth 5, 20 items) would cut them.
const QUERY_OPTIONS: qs.IParseOptions = { depth: 12, arrayLimit: 1000, parameterLimit: 2000, allowDots: false };
const parseQuery = (s: string) => qs.parse(s, QUERY_OPTIONS);

let requestCounter = 0;
const processTag = Math.random().toString(36).slice(2, 8);

/** X-Request-Id (the client's, when it is a sane one) and, at debug level, a log line when the response is done. */
function requestBeginning(log: Logger | undefined) {
  // A line per request only at debug level: the listener costs on every request. Faults are logged at any level.
  const traced = !!log && log.isLevelEnabled('debug');
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : `${processTag}-${(++requestCounter).toString(36)}`;
    res.setHeader('X-Request-Id', id);
    (res as unknown as { locals: Record<string, unknown> }).locals = { requestId: id };
    if (traced) {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        log!.debug({ reqId: id, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms * 100) / 100 }, 'request');
      });
    }
  };
}

export async function createApp(opts: AppOptions): Promise<GatewayApp> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', parseQuery);
  const log = opts.logger;

  app.get('/_gateway/health', async (_req, res) => {
    try {
      await opts.core.db.all('SELECT 1 AS ok');
      res.json({ status: 'ok', database: opts.core.dbKind, version: VERSION });
    } catch {
      res.status(503).json({ status: 'unavailable', database: opts.core.dbKind, version: VERSION });
    }
  });
  app.get('/_gateway/version', (_req, res) => { res.json({ name: 'crm-gateway', version: VERSION }); });

  const ctx: DialectContext = {
    core: opts.core, authRequired: opts.authRequired, admin: await opts.core.admin(), bodyLimit: opts.bodyLimit ?? '1mb',
    fault: (err, res) => log?.error({ reqId: res.locals.requestId, method: res.req.method, url: res.req.originalUrl ?? res.req.url, err }, 'request failed'),
  };
  const bare: BareMount[] = [];
  for (const d of opts.dialects ?? DIALECTS) {
    if (opts.only && d.name !== opts.only) continue;
    const router = d.router(ctx);
    const bases = opts.only ? [''] : d.basePaths;
    if (d.bare) for (const prefix of bases) bare.push({ prefix, handler: router });
    else for (const base of bases) app.use(base || '/', router);
  }

  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: 'Not Found', path: req.path });
  });
  // Last resort: a fault no dialect caught. Logged with the request id, never shown.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    log?.error({ reqId: res.locals.requestId, err }, 'unhandled error');
    if (res.headersSent) { res.end(); return; }
    res.status(500).json({ error: 'Internal Server Error', requestId: res.locals.requestId });
  });
  return frontDoor({ express: app, bare, parseQuery, begin: requestBeginning(log) });
}
