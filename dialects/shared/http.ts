// Small HTTP pieces every dialect uses: the acting user, JSON bodies with the dialect's own errors, JSON answers.
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Ctx, User } from '../../core/types';
import { BadRequestError, CoreError } from '../../core/errors';

export function setUser(res: Response, user: User): void { res.locals.user = user; }

export function ctxOf(res: Response): Ctx {
  const user = res.locals.user as User | undefined;
  if (!user) throw new CoreError('unauthorized', 'no user');
  return { user };
}

/** Thrown for a body over the limit; dialects render it as their 413 (or their CRM's nearest). */
export class PayloadTooLargeError extends BadRequestError {
  constructor(limit: string) { super(`Request body is larger than ${limit}.`, 'body'); }
}

/** A parse error of a JSON body; `message` says where. */
export class MalformedJsonError extends BadRequestError {
  constructor(detail: string) { super(`Malformed JSON body: ${detail}`, 'body'); }
}

/**
 * express.json with its errors turned into typed errors, so each dialect renders them in its own shape.
 * Bodies are parsed whatever the declared type is when `anyType` (some CRM clients omit Content-Type).
 */
export function jsonBody(limit: string, anyType = false): RequestHandler {
  const parse = express.json({ limit, strict: false, type: anyType ? () => true : 'application/json' });
  return (req: Request, res: Response, next: NextFunction) => {
    // No body at all (every GET): nothing to parse, and the parser's own checks cost on the hot path.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return next();
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { type?: string; message?: string };
      if (e.type === 'entity.too.large') return next(new PayloadTooLargeError(limit));
      if (e.type === 'entity.parse.failed') return next(new MalformedJsonError(e.message ?? 'parse error'));
      return next(new BadRequestError(e.message ?? 'Bad request body', 'body'));
    });
  };
}

/** A route that parses the JSON body first (`parse`: a jsonBody); a parse error or a throw rejects. */
export function withBody(parse: RequestHandler, fn: (req: Request, res: Response) => Promise<unknown> | unknown) {
  return (req: Request, res: Response): Promise<unknown> => new Promise((resolve, reject) => {
    parse(req, res, (err?: unknown) => {
      if (err) return reject(err);
      try { resolve(fn(req, res)); } catch (e) { reject(e); }
    });
  });
}

/** A JSON response without express's res.json (its etag/charset machinery costs most of a fast read). */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
