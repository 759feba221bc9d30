// The golden corpus: every tests/golden/<dialect>/*.json file is one exchange {name, request, response}, replayed in
// file-name order against a fresh app seeded with the same few records, and compared after normalising ids and
// times. A reader learns a dialect's wire format from its corpus.
//
// Request: {method, path, headers?, body?}; a string body is sent raw as application/json; "<ADMIN_KEY>" in a header
// value is the administrator's key. Response: {status, headers, body}; only the listed headers are compared (null =
// must be absent); body "" = empty. UPDATE_GOLDEN=1 rewrites each response from what the server answers (review the
// diff before keeping it).
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeApp, ADMIN_KEY, TestApp } from '../helpers/app';

interface Exchange {
  name: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number; headers?: Record<string, string | null>; body?: unknown };
}

const ROOT = __dirname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const HEX_ID = /\b[0-9a-f]{17}\b/g;
const DATETIME = /\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{3})?Z?\b/g;

/** Ids -> `<id>`, datetimes -> `<datetime>`, in values and in object keys. */
export function normalise(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(HEX_ID, '<id>').replace(DATETIME, '<datetime>');
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[normalise(k) as string] = normalise(x);
    return out;
  }
  return v;
}

/** The same few records for every dialect, written through the core (ids 2..7 in a fresh store). */
async function seed(t: TestApp): Promise<void> {
  const { core, ctx } = t;
  const acme = await core.create('account', { name: 'Acme', type: 'Customer', email: 'info@acme.test', phone: '+1 555 0100', billing_address_city: 'Paris' }, ctx);
  await core.create('account', { name: 'Bolt Ltd', type: 'Partner' }, ctx);
  const ann = await core.create('contact', { first_name: 'Ann', last_name: 'Lee', account_id: acme.id, email: 'ann@acme.test', title: 'CTO' }, ctx);
  await core.create('contact', { first_name: 'Bob', last_name: 'Ray' }, ctx);
  await core.create('lead', { first_name: 'Dee', last_name: 'Upe', email: 'dee@upe.test', status: 'New', account_name: 'Upe Inc', opportunity_amount: 1200 }, ctx);
  await core.create('opportunity', { name: 'Acme renewal', amount: 5000, close_date: '2026-12-31', stage: 'Proposal', account_id: acme.id, contact_id: ann.id }, ctx);
}

function headersOf(e: Exchange): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.request.headers ?? {})) out[k] = v.replace('<ADMIN_KEY>', ADMIN_KEY);
  return out;
}

async function replay(t: TestApp, e: Exchange): Promise<request.Response> {
  const method = e.request.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const req = request(t.app)[method](e.request.path).set(headersOf(e));
  if (typeof e.request.body === 'string') return req.set('Content-Type', 'application/json').send(e.request.body);
  return e.request.body === undefined ? req : req.send(e.request.body as object);
}

function bodyOf(r: request.Response): unknown {
  if (r.text === '') return '';
  try { return JSON.parse(r.text); } catch { return r.text; }
}

const dialects = fs.readdirSync(ROOT).filter((d) => fs.statSync(path.join(ROOT, d)).isDirectory());

describe.each(dialects)('golden corpus: %s', (dialect) => {
  const dir = path.join(ROOT, dialect);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  let t: TestApp;
  beforeAll(async () => { t = await makeApp(); await seed(t); });
  afterAll(() => t.close());

  test.each(files)('%s', async (file) => {
    const e = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Exchange;
    const r = await replay(t, e);
    const headers: Record<string, string | null> = {};
    for (const k of Object.keys(e.response.headers ?? {})) {
      const v = r.headers[k.toLowerCase()];
      headers[k] = v === undefined ? null : (normalise(String(v)) as string);
    }
    const actual = { status: r.status, headers, body: normalise(bodyOf(r)) };
    if (UPDATE) {
      fs.writeFileSync(path.join(dir, file), JSON.stringify({ ...e, response: actual }, null, 2) + '\n');
      return;
    }
    expect(actual).toEqual({ status: e.response.status, headers: e.response.headers ?? {}, body: e.response.body });
  });
});
