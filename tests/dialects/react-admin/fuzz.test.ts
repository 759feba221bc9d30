// Malformed input of every kind at every react-admin route: never a 5xx, always the dialect's `{error}` body,
// and a refused write changes nothing.
import request from 'supertest';
import { makeApp, type TestApp } from '../../helpers/app';
import { api, type Api, BEARER, seed, snapshot } from './ra';

let t: TestApp;
let a: Api;
let s: Record<string, number>;
const ENTITIES = ['account', 'contact', 'opportunity', 'activity', 'note', 'tag'];
beforeAll(async () => { t = await makeApp(); a = api(t); s = await seed(t); });
afterAll(() => t.close());

const ATOMS: unknown[] = ['', ' ', "' OR 1=1 --", '"; DROP TABLE crm_contact; --', '%', '_', '\\', '\u0000', 'null', 'NaN', '-1',
  '1e309', '99999999999999999999', '2026-13-45', 'x'.repeat(5000), '名前', '🙂', '<script>', 0, -1, 1.5, 1e308, true, false, null,
  [], {}, [[]], { $gt: '' }, ['a', { b: 1 }], [0, 'x'], [9, 0], { last_name: { $in: 1 } }, { 'last_name@gt': [] }, { q: {} }];
const RESOURCES = ['contacts', 'companies', 'deals', 'tasks', 'notes', 'tags', 'contacts_summary', 'companies_summary', 'configuration', 'nope', 'Contacts'];

/** Not a server error, and an error body in the dialect's shape. */
function wellFormed(r: request.Response): boolean {
  if (r.status >= 500) return false;
  return r.status < 400 || (typeof r.body === 'object' && r.body !== null && typeof r.body.error === 'string');
}

test('list parameters: no value of any parameter reaches a 5xx', async () => {
  const params = ['filter', 'filters', 'sort', 'sorts', 'range', 'q', '_start', '_end', '_sort', '_order', 'order'];
  for (const resource of ['contacts', 'companies', 'deals', 'companies_summary']) {
    for (const p of params) {
      for (const v of ATOMS) {
        const r = await a.get(`/${resource}`, { [p]: v });
        expect([resource, p, JSON.stringify(v).slice(0, 40), wellFormed(r)]).toEqual([resource, p, JSON.stringify(v).slice(0, 40), true]);
      }
    }
  }
}, 120000);

test('writes with hostile bodies and ids never 5xx, and the refused ones change nothing', async () => {
  const bodies: unknown[] = ['{', '[1,2', 'null', '"x"', '42', '{"last_name":', ...ATOMS];
  const ids = [String(s.ada), 'abc', '-1', '0', '1e3', '99999999999999999999', '%E0%A4%A'];
  for (const resource of RESOURCES) {
    for (const b of bodies) {
      const raw = typeof b === 'string' ? b : JSON.stringify(b);
      for (const id of ids) {
        const before = await snapshot(t, ENTITIES);
        const answers = [await a.post(`/${resource}`, raw), await a.put(`/${resource}/${id}`, raw), await a.post('/merge_contacts', raw),
          await a.post('/object_config', raw)];
        for (const r of answers) expect([resource, id, raw.slice(0, 30), wellFormed(r)]).toEqual([resource, id, raw.slice(0, 30), true]);
        if (answers.every((r) => r.status >= 400)) expect(await snapshot(t, ENTITIES)).toBe(before);
        if (b !== bodies[0]) break; // every id with the first body; every body with a real record's id
      }
    }
  }
}, 120000);

test('hostile ids on reads, deletes and restores: never 5xx', async () => {
  for (const resource of RESOURCES) {
    for (const id of ['abc', '-1', '1.5', '99999999999999999999', '%zz', "1' OR '1'='1", '0x10']) {
      for (const r of [await a.get(`/${resource}/${id}`), await a.del(`/${resource}/${id}`), await a.post(`/${resource}/${id}/restore`, {})]) {
        expect([resource, id, wellFormed(r)]).toEqual([resource, id, true]);
      }
    }
  }
  const odd = await request(t.app).patch('/api/contacts/1').set(BEARER).send({});
  expect(wellFormed(odd)).toBe(true);
}, 120000);
