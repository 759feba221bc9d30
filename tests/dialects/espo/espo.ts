// Shared bits of the EspoCRM endpoint tests: an authenticated client at /api/v1 and the wire formats.
import request from 'supertest';
import type { Response } from 'supertest';
import type { TestApp } from '../../helpers/app';
import { ADMIN_KEY } from '../../helpers/app';

export const KEY = { 'X-Api-Key': ADMIN_KEY };
export const HEX_ID = /^[0-9a-f]{17}$/;
export const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
export const ADMIN_ID = '00000000000000001';

type Body = string | object | undefined;

export interface Api {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body?: Body, headers?: Record<string, string>): Promise<Response>;
  put(path: string, body?: Body, headers?: Record<string, string>): Promise<Response>;
  patch(path: string, body?: Body, headers?: Record<string, string>): Promise<Response>;
  del(path: string, body?: Body, headers?: Record<string, string>): Promise<Response>;
}

/** A client with the admin key; a string body is sent raw as application/json. */
export function api(t: TestApp): Api {
  const url = (p: string) => `/api/v1${p}`;
  const withBody = (req: request.Test, body: Body, headers: Record<string, string> = {}) => {
    req.set(KEY).set(headers);
    if (typeof body === 'string') return req.set('Content-Type', 'application/json').send(body);
    return body === undefined ? req : req.send(body);
  };
  return {
    get: (p, h = {}) => request(t.app).get(url(p)).agent(t.agent).set(KEY).set(h),
    post: (p, b, h) => withBody(request(t.app).post(url(p)).agent(t.agent), b, h),
    put: (p, b, h) => withBody(request(t.app).put(url(p)).agent(t.agent), b, h),
    patch: (p, b, h) => withBody(request(t.app).patch(url(p)).agent(t.agent), b, h),
    del: (p, b, h) => withBody(request(t.app).delete(url(p)).agent(t.agent), b, h),
  };
}

/** Live records of a canonical entity, counted by the core (the "data unchanged" check). */
export function count(t: TestApp, entity: string): Promise<number> {
  return t.core.count(entity, undefined, t.ctx);
}

export function reason(r: Response): string | undefined {
  return r.headers['x-status-reason'] as string | undefined;
}

/** The canonical id behind a 17-hex Espo id. */
export function idOf(hex: string): number {
  return parseInt(hex, 16);
}
