// EspoCRM credentials (espocrm.md §2) -> a core user. Order: Espo-Authorization, then the API login headers in
// EspoCRM's method order (X-Api-Key, then X-Hmac-Authorization), then Basic. Runs before routing, so a bad key on an
// unknown entity is still 401. Every failure, a disabled user included: 401 with an empty body.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DialectContext } from '../types';
import type { User } from '../../core/types';
import { setUser } from '../shared/http';
import { EspoError } from './errors';
import { hmacMatches, hmacMessage, parseHmacHeader } from './hmac';

type Credentials =
  | { method: 'apiKey'; key: string }
  | { method: 'hmac'; header: string }
  | { method: 'basic'; userName: string; secret: string };

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
}

function decodeBase64(s: string): string {
  return Buffer.from(s.trim(), 'base64').toString('utf8');
}

/** `user:secret` split at the first colon, both halves trimmed; undefined without a colon. */
function splitPair(decoded: string): { userName: string; secret: string } | undefined {
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { userName: decoded.slice(0, i).trim(), secret: decoded.slice(i + 1).trim() };
}

/** The credentials a request carries; throws 400 for an Espo-Authorization value without a colon. */
function credentialsOf(req: Request): Credentials | undefined {
  const espo = header(req, 'espo-authorization');
  if (espo !== undefined) {
    const pair = splitPair(decodeBase64(espo));
    if (!pair) throw new EspoError(400, 'Auth: Bad authorization string provided.');
    return { method: 'basic', ...pair };
  }
  const key = header(req, 'x-api-key');
  if (key !== undefined) return { method: 'apiKey', key };
  const hmac = header(req, 'x-hmac-authorization');
  if (hmac !== undefined) return { method: 'hmac', header: hmac };
  const basic = header(req, 'authorization') ?? header(req, 'http-espo-cgi-auth');
  const m = basic && /^Basic\s+(.+)$/i.exec(basic.trim());
  if (m) {
    const pair = splitPair(decodeBase64(m[1]));
    return { method: 'basic', userName: pair?.userName ?? '', secret: pair?.secret ?? '' };
  }
  return undefined;
}

/** 401, empty body; WWW-Authenticate only for a plain request without any credentials (Auth::handleUnauthorized). */
function unauthorized(req: Request, res: Response, sent: boolean): void {
  const xhr = (header(req, 'x-requested-with') ?? '').toLowerCase() === 'xmlhttprequest';
  if (!sent && !xhr && !header(req, 'referer') && req.method !== 'POST') res.setHeader('WWW-Authenticate', 'Basic realm=""');
  res.statusCode = 401;
  res.setHeader('Content-Length', '0');
  res.end();
}

/** The user of a signed request: the key must be an HMAC key of an active user, and the signature must match. */
async function hmacUser(ctx: DialectContext, req: Request, value: string): Promise<User | null> {
  const creds = parseHmacHeader(value);
  if (!creds) return null;
  const found = await ctx.core.checkKey(creds.apiKey, 'hmac');
  if (found.status !== 'active' || !found.hmacSecret) return null;
  // req.path is relative to the mount (/api/v1, or / with --listen) and carries no query string.
  return hmacMatches(found.hmacSecret, hmacMessage(req.method, req.path), creds.signature) ? found.user : null;
}

async function userOf(ctx: DialectContext, req: Request, c: Credentials): Promise<User | null> {
  switch (c.method) {
    case 'apiKey': return c.key ? ctx.core.authenticate(c.key) : null;
    case 'hmac': return hmacUser(ctx, req, c.header);
    case 'basic': return c.userName && c.secret ? ctx.core.authenticateBasic(c.userName, c.secret) : null;
  }
}

/** Sets the acting user (res.locals.user) and how it logged in (res.locals.espoAuth), or answers 401 / 400. */
export function espoAuth(ctx: DialectContext): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!ctx.authRequired) {
      setUser(res, ctx.admin);
      res.locals.espoAuth = { method: 'none' };
      return next();
    }
    let creds: Credentials | undefined;
    try {
      creds = credentialsOf(req);
    } catch (e) {
      return next(e);
    }
    if (!creds) return unauthorized(req, res, false);
    const found = creds;
    userOf(ctx, req, found).then((user) => {
      if (!user) return unauthorized(req, res, true);
      setUser(res, user);
      // Only a Basic login's secret is kept: GET /App/user answers it as the token (appdata.ts).
      res.locals.espoAuth = found.method === 'basic' ? found : { method: found.method };
      next();
    }, next);
  };
}
