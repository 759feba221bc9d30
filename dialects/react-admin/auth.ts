// `Authorization: Bearer <key>` -> a core user (react-admin.md §3.1, §5); and the CORS a browser app needs (§1).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DialectContext } from '../types';
import { setUser } from '../shared/http';
import { WireError } from './render';

const ALLOW_HEADERS = 'Authorization, Content-Type, Range, Accept, X-Requested-With';
const EXPOSE_HEADERS = 'Content-Range, X-Total-Count, X-Request-Id';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/**
 * CORS for react-admin apps on another origin: `Range` and `Authorization` force a preflight, and ra reads the
 * total from `Content-Range`, which a browser hides unless exposed. Preflights are answered without credentials.
 */
export function cors(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    res.setHeader('Access-Control-Allow-Origin', typeof origin === 'string' && origin ? origin : '*');
    if (origin) res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
      const asked = req.headers['access-control-request-headers'];
      res.setHeader('Access-Control-Allow-Headers', typeof asked === 'string' && asked ? `${ALLOW_HEADERS}, ${asked}` : ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.statusCode = 204;
      res.end();
      return;
    }
    next();
  };
}

/** The bearer token of a request, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

/** 401 `{"error":"Unauthorized"}` without a valid key; 403 `{"error":"Account disabled"}` for an inactive user. */
export function bearerAuth(ctx: DialectContext): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!ctx.authRequired) { setUser(res, ctx.admin); next(); return; }
    const token = bearerToken(req);
    if (!token) { next(new WireError(401, 'Unauthorized')); return; }
    ctx.core.checkKey(token).then((found) => {
      if (found.status === 'unknown') return next(new WireError(401, 'Unauthorized'));
      if (found.status === 'disabled') return next(new WireError(403, 'Account disabled', 'FORBIDDEN'));
      setUser(res, found.user);
      next();
    }, next);
  };
}
