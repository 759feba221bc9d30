// Shared bits of the react-admin endpoint tests: a Bearer client at /api, list helpers, the "data unchanged" check.
import request from 'supertest';
import type { Response } from 'supertest';
import type { TestApp } from '../../helpers/app';
import { ADMIN_KEY } from '../../helpers/app';

export const BEARER = { Authorization: `Bearer ${ADMIN_KEY}` };
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/;

type Body = string | object | undefined;

export interface Api {
  get(path: string, query?: Record<string, unknown>, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body?: Body, headers?: Record<string, string>): Promise<Response>;
  put(path: string, body?: Body, headers?: Record<string, string>): Promise<Response>;
  del(path: string, headers?: Record<string, string>): Promise<Response>;
}

/** Query values that are not strings are sent as JSON (as ra-data-simple-rest does). */
export function qs(query: Record<string, unknown> = {}): string {
  const parts = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export function api(t: TestApp): Api {
  const url = (p: string) => `/api${p}`;
  const withBody = (req: request.Test, body: Body, headers: Record<string, string> = {}) => {
    req.set(BEARER).set(headers);
    if (typeof body === 'string') return req.set('Content-Type', 'application/json').send(body);
    return body === undefined ? req : req.send(body);
  };
  return {
    get: (p, q, h = {}) => request(t.app).get(url(p) + qs(q)).agent(t.agent).set(BEARER).set(h),
    post: (p, b, h) => withBody(request(t.app).post(url(p)).agent(t.agent), b, h),
    put: (p, b, h) => withBody(request(t.app).put(url(p)).agent(t.agent), b, h),
    del: (p, h = {}) => request(t.app).delete(url(p)).agent(t.agent).set(BEARER).set(h),
  };
}

/** Live records of a canonical entity, counted by the core. */
export function count(t: TestApp, entity: string): Promise<number> {
  return t.core.count(entity, undefined, t.ctx);
}

export function ids(r: Response): number[] {
  return (r.body as { id: number }[]).map((x) => x.id);
}

/** A snapshot of every live record of these entities (the "no change to the data" check). */
export async function snapshot(t: TestApp, entities: string[]): Promise<string> {
  const parts: unknown[] = [];
  for (const e of entities) parts.push((await t.core.find(e, { deleted: 'include', contactPoints: true, links: true }, t.ctx)).records);
  return JSON.stringify(parts);
}

/** A small CRM: 2 companies, 4 contacts, 3 deals, 2 tasks, notes and tags. Returns the ids by name. */
export async function seed(t: TestApp): Promise<Record<string, number>> {
  const { core, ctx } = t;
  const acme = (await core.create('account', { name: 'Acme', industry: 'Software', website: 'acme.test' }, ctx)).id;
  const globex = (await core.create('account', { name: 'Globex', industry: 'Retail' }, ctx)).id;
  const vip = (await core.create('tag', { name: 'vip', color: '#ff0000' }, ctx)).id;
  const ada = (await core.create('contact', { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@acme.test', account_id: acme, title: 'CEO', tag_ids: [vip] }, ctx)).id;
  const cy = (await core.create('contact', { first_name: 'Cy', last_name: 'Lovelace', email: 'cy@acme.test', account_id: acme }, ctx)).id;
  const bo = (await core.create('contact', { first_name: 'Bo', last_name: 'Ng', email: 'bo@globex.test', account_id: globex }, ctx)).id;
  const di = (await core.create('contact', { first_name: 'di', last_name: 'Zed', email: null }, ctx)).id;
  const renewal = (await core.create('opportunity', { name: 'Renewal', account_id: acme, stage: 'Proposal', amount: 1000 }, ctx)).id;
  const upsell = (await core.create('opportunity', { name: 'Upsell', account_id: acme, stage: 'Closed Won', amount: 250 }, ctx)).id;
  const pilot = (await core.create('opportunity', { name: 'Pilot', account_id: globex, stage: 'Prospecting', amount: null }, ctx)).id;
  const call = (await core.create('activity', { kind: 'call', name: 'Call Ada', contact_id: ada }, ctx)).id;
  const done = (await core.create('activity', { kind: 'task', name: 'Send deck', contact_id: ada, status: 'Completed' }, ctx)).id;
  const note = (await core.create('note', { body: 'Met at fair', parent_id: ada, parent_type: 'contact' }, ctx)).id;
  const dealNote = (await core.create('note', { body: 'Budget ok', parent_id: renewal, parent_type: 'opportunity' }, ctx)).id;
  return { acme, globex, vip, ada, cy, bo, di, renewal, upsell, pilot, call, done, note, dealNote };
}
