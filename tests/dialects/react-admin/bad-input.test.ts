// Bad input gets the spec's answer, never a 500, and changes nothing (DESIGN principle 4; react-admin.md §3.7, §5.2).
import request from 'supertest';
import { makeApp, type TestApp } from '../../helpers/app';
import { api, type Api, BEARER, ids, seed, snapshot } from './ra';

let t: TestApp;
let a: Api;
let s: Record<string, number>;
let before: string;
const ENTITIES = ['account', 'contact', 'opportunity', 'activity', 'note', 'tag'];

beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  s = await seed(t);
  before = await snapshot(t, ENTITIES);
});
afterAll(() => t.close());
afterEach(async () => { expect(await snapshot(t, ENTITIES)).toBe(before); });

describe('list parameters', () => {
  test.each<[string, string]>([
    ['range: malformed JSON', 'range=%5B0%2C'],
    ['range: reversed', 'range=[9,0]'],
    ['range: not numbers', 'range=["a","b"]'],
    ['range: repeated', 'range=[0,1]&range=[2,3]'],
  ])('%s: falls back to [0,24], 200', async (_n, query) => {
    const r = await request(t.app).get(`/api/contacts?${query}`).set(BEARER);
    expect(r.status).toBe(200);
    expect(r.headers['content-range']).toBe('contacts 0-3/4');
  });

  test.each<[string, string, string]>([
    ['filter: malformed JSON', 'filter=%7B%22q%22%3A', 'Invalid filter'],
    ['filter: an array', 'filter=[1,2]', 'Invalid filter'],
    ['filters: malformed JSON', 'filters=%5B%7B%22field%22', 'Invalid filters'],
    ['filters: an object', 'filters={"field":"id"}', 'Invalid filters'],
    ['sort: malformed JSON array', 'sort=%5B%22id%22%2C', 'Invalid sort'],
    ['sort: repeated', 'sort=id&sort=first_name', 'Invalid sort'],
    ['sorts: malformed JSON', 'sorts=%5B%7B', 'Invalid sorts'],
    ['filter: a word for an id', `filter=${encodeURIComponent('{"company_id":"acme"}')}`, "Invalid filter value for 'company_id'"],
    ['filter: an operator object as a value', `filter=${encodeURIComponent('{"last_name":{"$ne":null}}')}`, "Invalid filter value for 'last_name'"],
    ['filter: impossible date', `filter=${encodeURIComponent('{"created_at":"2026-02-30"}')}`, "Invalid filter value for 'created_at'"],
    ['filters: contains on a number', `filters=${encodeURIComponent('[{"field":"id","op":"contains","value":"1"}]')}`, "'contains' applies to text fields only"],
    ['filter: an id beyond 64 bits', `filter=${encodeURIComponent('{"id":100000000000000000000}')}`, "Invalid filter value for 'id'"],
    ['filter: a NUL character', `filter=${encodeURIComponent('{"last_name":"a\\u0000b"}')}`, "Invalid filter value for 'last_name'"],
    ['q: a NUL character', `filter=${encodeURIComponent('{"q":"a\\u0000b"}')}`, 'Invalid filter'],
    ['filters: a word for a number', `filters=${encodeURIComponent('[{"field":"id","op":"gt","value":"1 OR 1=1"}]')}`, "Invalid filter value for 'id'"],
  ])('%s: 400', async (_n, query, message) => {
    const r = await request(t.app).get(`/api/contacts?${query}`).set(BEARER);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('INVALID_REQUEST');
    expect(r.body.error).toContain(message);
    expect(r.body.message).toBe(r.body.error);
  });

  test.each<[string, Record<string, unknown>]>([
    ['unknown filter key', { filter: { nope: 1 } }],
    ['unknown filters field', { filters: [{ field: 'nope', op: 'eq', value: 'x' }] }],
    ['unknown filters op', { filters: [{ field: 'last_name', op: 'DROP', value: 'x' }] }],
    ['unknown sort field', { sort: ['nope', 'ASC'] }],
    ['injection in sort', { sort: ['last_name) ; DELETE FROM crm_contact; --', 'ASC'] }],
    ['injection in order', { sort: 'last_name', order: 'ASC; DELETE FROM crm_contact' }],
    ['injection in sorts', { sorts: [{ field: '1; DROP TABLE crm_contact', order: 'DESC' }] }],
    ['injection in a filter key', { filter: { 'last_name = last_name OR 1': 1 } }],
  ])('%s: ignored, 200, every contact', async (_n, q) => {
    const r = await a.get('/contacts', q);
    expect(r.status).toBe(200);
    expect(ids(r).sort((x, y) => x - y)).toEqual([s.ada, s.cy, s.bo, s.di].sort((x, y) => x - y));
  });

  test.each<[string, Record<string, unknown>]>([
    ['injection in a filter value', { filter: { last_name: "' OR '1'='1" } }],
    ['injection in a filters value', { filters: [{ field: 'last_name', op: 'eq', value: "x'; DELETE FROM crm_contact; --" }] }],
    ['LIKE wildcards are literal', { filters: [{ field: 'last_name', op: 'contains', value: '%' }] }],
    ['q with quotes', { filter: { q: "'; DROP TABLE crm_contact; --" } }],
  ])('%s: a bound value, no match', async (_n, q) => {
    const r = await a.get('/contacts', q);
    expect(r.status).toBe(200);
    expect(r.body).toEqual([]);
  });
});

describe('ids and bodies', () => {
  test.each(['abc', '1e3', '-1', '0', '1.5', '99999999999999999999'])('id %s: 400 Invalid request', async (id) => {
    for (const r of [await a.get(`/contacts/${id}`), await a.put(`/contacts/${id}`, { title: 'x' }), await a.del(`/contacts/${id}`)]) {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: 'Invalid request', code: 'INVALID_REQUEST' });
    }
  });

  test('malformed JSON body: 400 Invalid JSON body', async () => {
    for (const r of [await a.post('/contacts', '{"first_name": "X",'), await a.put(`/contacts/${s.ada}`, '{"title":')]) {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: 'Invalid JSON body', code: 'VALIDATION_FAILED' });
    }
  });

  test('a body that is not an object: 400', async () => {
    expect((await a.post('/contacts', '[1,2]')).status).toBe(400);
    expect((await a.post('/contacts', '"text"')).status).toBe(400);
    expect((await a.put(`/contacts/${s.ada}`, 'null')).status).toBe(400);
  });

  test('a body over the limit: 413', async () => {
    const r = await a.post('/contacts', { first_name: 'x'.repeat(2 * 1024 * 1024) });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error: 'Payload too large' });
  });

  test('wrong types on update: 400 naming the wire field, nothing changed', async () => {
    for (const [body, field] of [
      [{ company_id: 'x' }, 'company_id'], [{ has_newsletter: 'maybe' }, 'has_newsletter'], [{ email_jsonb: 'x' }, 'email_jsonb'],
      [{ first_name: 'x'.repeat(101) }, 'first_name'], [{ first_name: 'a\u0000b' }, 'first_name'], [{ tags: [999999] }, 'tags'], [{ title: 'ok', last_seen: 'noon' }, 'last_seen'],
    ] as [Record<string, unknown>, string][]) {
      const r = await a.put(`/contacts/${s.ada}`, body);
      expect(r.status).toBe(400);
      expect(r.body.errors).toHaveProperty(field);
      expect(r.body.error).toMatch(new RegExp(`^Invalid ${field}: `));
    }
  });

  test('unknown resource on a write: 404, nothing created', async () => {
    expect((await a.post('/widgets', { name: 'x' })).status).toBe(404);
    expect((await a.put('/widgets/1', { name: 'x' })).status).toBe(404);
    expect((await a.del('/widgets/1')).status).toBe(404);
  });

  test('bad percent-encoding in a path, or a method no route takes: 404 Not found in the dialect shape', async () => {
    const bad = await a.get('/contacts/%E0%A4%A');
    expect(bad.status).toBe(404);
    expect(bad.body).toMatchObject({ error: 'Not found' });
    const patch = await request(t.app).patch('/api/contacts').set(BEARER).send({ name: 'x' });
    expect(patch.status).toBe(404);
    expect(patch.body).toMatchObject({ error: 'Not found' });
  });
});
