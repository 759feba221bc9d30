// The real react-admin client, ra-data-simple-rest 5.x (with ra-core's fetchJson), driving all nine dataProvider
// methods against a running gateway on 127.0.0.1 (react-admin.md §1). A contact created here is then read back
// through the EspoCRM dialect: one record, two APIs.
import type { AddressInfo } from 'node:net';
import http, { type Server } from 'node:http';
import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, type DataProvider, HttpError } from 'ra-core';
import { createApp } from '../../gateway/app';
import { ADMIN_KEY, makeCore, type TestCore } from '../helpers/core';

let tc: TestCore;
let server: Server;
let base: string;
let dp: DataProvider;
const seen: { method: string; url: string; range: string | null }[] = [];

/** react-admin apps that use bearer keys wrap fetchJson and set the header themselves (§1.2). */
const httpClient = (url: string, options: fetchUtils.Options = {}) => {
  const headers = new Headers((options.headers ?? { Accept: 'application/json' }) as ConstructorParameters<typeof Headers>[0]);
  headers.set('Authorization', `Bearer ${ADMIN_KEY}`);
  seen.push({ method: options.method ?? 'GET', url, range: headers.get('Range') });
  return fetchUtils.fetchJson(url, { ...options, headers });
};

beforeAll(async () => {
  tc = await makeCore();
  const app = await createApp({ core: tc.core, authRequired: true, bodyLimit: '1mb' });
  server = await new Promise<Server>((resolve) => { const s = http.createServer(app).listen(0, '127.0.0.1', () => resolve(s)); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dp = simpleRestProvider(`${base}/api`, httpClient);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await tc.close();
});

describe('ra-data-simple-rest against the gateway', () => {
  const made: Record<string, number> = {};

  test('create: 201 record with its id, persisted', async () => {
    const acme = await dp.create('companies', { data: { name: 'Acme', domain: 'acme.test', category: 'Software' } });
    made.acme = Number(acme.data.id);
    expect(acme.data).toMatchObject({ name: 'Acme', domain: 'acme.test', category: 'Software' });
    for (const [first, last] of [['Ada', 'Lovelace'], ['Cy', 'Lovelace'], ['Bo', 'Ng'], ['Di', 'Zed']]) {
      const r = await dp.create('contacts', { data: { first_name: first, last_name: last, email: `${first.toLowerCase()}@acme.test`, company_id: made.acme } });
      expect(typeof r.data.id).toBe('number');
      made[first] = Number(r.data.id);
    }
    expect(await tc.core.get('contact', made.Ada, tc.ctx)).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@acme.test', account_id: made.acme });
  });

  test('getList: ids, total from Content-Range, order, filter, pagination', async () => {
    const page1 = await dp.getList('contacts', { pagination: { page: 1, perPage: 2 }, sort: { field: 'first_name', order: 'DESC' }, filter: {} });
    expect(page1.total).toBe(4);
    expect(page1.data.map((r) => r.id)).toEqual([made.Di, made.Cy]);
    const page2 = await dp.getList('contacts', { pagination: { page: 2, perPage: 2 }, sort: { field: 'first_name', order: 'DESC' }, filter: {} });
    expect(page2.data.map((r) => r.id)).toEqual([made.Bo, made.Ada]);
    const search = await dp.getList('contacts', { pagination: { page: 1, perPage: 25 }, sort: { field: 'id', order: 'ASC' }, filter: { q: 'love' } });
    expect(search.data.map((r) => r.id)).toEqual([made.Ada, made.Cy]);
    expect(search.total).toBe(2);
    const none = await dp.getList('contacts', { pagination: { page: 3, perPage: 25 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    expect(none).toEqual({ data: [], total: 4 });
    const last = seen.filter((x) => x.url.includes('/api/contacts?')).pop()!;
    expect(last.range).toBe('contacts=50-74');
  });

  test('getOne', async () => {
    const r = await dp.getOne('contacts', { id: made.Bo });
    expect(r.data).toMatchObject({ id: made.Bo, first_name: 'Bo', last_name: 'Ng', company_id: made.acme });
  });

  test('getMany: one call for a whole page of references, no 25 cap', async () => {
    const tags: number[] = [];
    for (let i = 0; i < 30; i++) tags.push((await tc.core.create('tag', { name: `tag ${i}`, color: '#123456' }, tc.ctx)).id);
    const r = await dp.getMany('tags', { ids: tags });
    expect(r.data.map((x) => x.id).sort((a, b) => Number(a) - Number(b))).toEqual(tags);
    const contacts = await dp.getMany('contacts', { ids: [made.Cy, made.Ada] });
    expect(contacts.data.map((x) => x.first_name).sort()).toEqual(['Ada', 'Cy']);
  });

  test('getManyReference: the target filter, sort, pagination and total', async () => {
    await tc.core.create('contact', { first_name: 'Elsewhere', last_name: 'Else' }, tc.ctx);
    const r = await dp.getManyReference('contacts', {
      target: 'company_id', id: made.acme, pagination: { page: 1, perPage: 3 }, sort: { field: 'last_name', order: 'ASC' }, filter: {},
    });
    expect(r.total).toBe(4);
    expect(r.data.map((x) => x.id)).toEqual([made.Ada, made.Cy, made.Bo]);
  });

  test('update: the whole form record is PUT back; persisted', async () => {
    const current = (await dp.getOne('contacts', { id: made.Ada })).data;
    const r = await dp.update('contacts', { id: made.Ada, data: { ...current, title: 'Countess' }, previousData: current });
    expect(r.data).toMatchObject({ id: made.Ada, title: 'Countess', first_name: 'Ada' });
    expect(await tc.core.get('contact', made.Ada, tc.ctx)).toMatchObject({ title: 'Countess', email: 'ada@acme.test' });
  });

  test('updateMany: one PUT per id, the ids back', async () => {
    const r = await dp.updateMany('contacts', { ids: [made.Bo, made.Di], data: { title: 'Engineer' } });
    expect(r.data).toEqual([made.Bo, made.Di]);
    for (const id of [made.Bo, made.Di]) expect((await tc.core.get('contact', id, tc.ctx)).title).toBe('Engineer');
  });

  test('delete: the deleted record back; gone afterwards', async () => {
    const r = await dp.delete('contacts', { id: made.Di, previousData: { id: made.Di } });
    expect(r.data).toMatchObject({ id: made.Di, first_name: 'Di' });
    await expect(dp.getOne('contacts', { id: made.Di })).rejects.toMatchObject({ status: 404 });
    const after = await dp.getList('contacts', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: { company_id: made.acme } });
    expect(after.total).toBe(3);
  });

  test('deleteMany: the ids back; gone afterwards', async () => {
    const a = await dp.create('deals', { data: { name: 'One', company_id: made.acme, status: 'opportunity' } });
    const b = await dp.create('deals', { data: { name: 'Two', company_id: made.acme, status: 'won', amount: 10 } });
    const r = await dp.deleteMany('deals', { ids: [a.data.id, b.data.id] });
    expect((r.data ?? []).map(Number).sort()).toEqual([Number(a.data.id), Number(b.data.id)].sort());
    expect((await dp.getList('deals', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} })).total).toBe(0);
    const archived = await dp.getList('deals', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: { include_archived: true } });
    expect(archived.total).toBe(2);
  });

  test('a validation error reaches react-admin as HttpError with body.errors (inline form errors)', async () => {
    const e = await dp.create('deals', { data: { name: 'No company' } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ status: 400, message: 'Invalid company_id: Required', body: { errors: { company_id: 'Required', status: 'Required' } } });
  });

  test('a contact created here is the same record through the EspoCRM dialect', async () => {
    const r = await dp.create('contacts', { data: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.test', companyId: made.acme, title: 'RADM' } });
    const hex = Number(r.data.id).toString(16).padStart(17, '0');
    const res = await fetch(`${base}/api/v1/Contact/${hex}`, { headers: { 'X-Api-Key': ADMIN_KEY, Accept: 'application/json' } });
    expect(res.status).toBe(200);
    const espo = await res.json() as Record<string, unknown>;
    expect(espo).toMatchObject({
      id: hex, firstName: 'Grace', lastName: 'Hopper', name: 'Grace Hopper', emailAddress: 'grace@navy.test', title: 'RADM',
      accountId: made.acme.toString(16).padStart(17, '0'), accountName: 'Acme',
    });
  });
});
