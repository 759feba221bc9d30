// EspoCRM lists (espocrm.md §4, §5): {total, list}, where, select, order, paging, maxSize, X-No-Total, searchParams.
import { makeApp, TestApp } from '../../helpers/app';
import { Api, HEX_ID, api, reason } from './espo';

let t: TestApp;
let a: Api;
const names = ['Delta', 'Alpha', 'Charlie', 'Bravo', 'Echo'];
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  for (const [i, name] of names.entries()) {
    const r = await t.core.create('account', {
      name, type: i % 2 ? 'Customer' : 'Partner', sic_code: `S${i}`, billing_address_city: i < 2 ? 'Paris' : null,
      email: `${name.toLowerCase()}@x.test`,
    }, t.ctx);
    ids[name] = r.id.toString(16).padStart(17, '0');
  }
});
afterAll(() => t.close());

const listNames = (body: { list: { name: string }[] }) => body.list.map((x) => x.name);

test('GET /Account: total, then list of full attribute maps (no data arrays), newest first', async () => {
  const r = await a.get('/Account');
  expect(r.status).toBe(200);
  expect(Object.keys(r.body)).toEqual(['total', 'list']);
  expect(r.body.total).toBe(5);
  expect(listNames(r.body)).toEqual([...names].reverse());
  for (const rec of r.body.list) {
    expect(rec.id).toMatch(HEX_ID);
    expect(rec.deleted).toBe(false);
    expect(rec.emailAddressData).toBeUndefined();
  }
  expect(r.body.list[0].emailAddress).toBe('echo@x.test');
});

test('orderBy / order (case-insensitive), maxSize and offset; total ignores paging', async () => {
  const r = await a.get('/Account?orderBy=name&order=DESC&maxSize=2&offset=1');
  expect(r.body.total).toBe(5);
  expect(listNames(r.body)).toEqual(['Delta', 'Charlie']);
  const asc = await a.get('/Account?orderBy=name');
  expect(listNames(asc.body)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
  const bySic = await a.get('/Account?orderBy=sicCode&order=desc');
  expect(listNames(bySic.body)).toEqual(['Echo', 'Bravo', 'Charlie', 'Alpha', 'Delta']);
  const onlyOrder = await a.get('/Account?order=asc');
  expect(listNames(onlyOrder.body)).toEqual(names);
});

test('select: requested attributes plus id, assignedUserId, createdById and the order attribute', async () => {
  const r = await a.get('/Account?select=name,type&orderBy=name&maxSize=1');
  expect(r.body.list[0]).toEqual({ id: r.body.list[0].id, name: r.body.list[0].name, type: r.body.list[0].type, assignedUserId: null, createdById: '00000000000000001' });
  const withData = await a.get('/Account?select=emailAddressData&maxSize=1');
  expect(withData.body.list[0].emailAddressData).toHaveLength(1);
  const legacy = await a.get('/Account?attributeSelect=billingAddressCity&maxSize=1&orderBy=sicCode');
  expect(Object.keys(legacy.body.list[0]).sort()).toEqual(['assignedUserId', 'billingAddressCity', 'createdById', 'id', 'sicCode']);
});

test('where in bracket form: equals, in, or, isNull, greaterThan; total follows the filter', async () => {
  const q = 'where[0][type]=equals&where[0][attribute]=type&where[0][value]=Customer';
  const r = await a.get(`/Account?${q}&orderBy=name`);
  expect(r.body.total).toBe(2);
  expect(listNames(r.body)).toEqual(['Alpha', 'Bravo']);
  const nested = 'where[0][type]=or&where[0][value][0][type]=in&where[0][value][0][attribute]=name&where[0][value][0][value][0]=Echo'
    + '&where[0][value][0][value][1]=Alpha&where[0][value][1][type]=isNull&where[0][value][1][attribute]=billingAddressCity';
  const n = await a.get(`/Account?${nested}&orderBy=name`);
  expect(n.body.total).toBe(4);
  expect(listNames(n.body)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Echo']);
  const gt = await a.get('/Account?where[0][type]=greaterThan&where[0][attribute]=sicCode&where[0][value]=S1');
  expect(gt.body.total).toBe(3);
});

test('equals on a string ignores case; emailAddress matches any address', async () => {
  const r = await a.get('/Account?where[0][type]=equals&where[0][attribute]=name&where[0][value]=ALPHA');
  expect(listNames(r.body)).toEqual(['Alpha']);
  const e = await a.get('/Account?where[0][type]=equals&where[0][attribute]=emailAddress&where[0][value]=Bravo@X.test');
  expect(listNames(e.body)).toEqual(['Bravo']);
});

test('searchParams JSON form (other params ignored)', async () => {
  const sp = JSON.stringify({ where: [{ type: 'startsWith', attribute: 'name', value: 'c' }], select: ['name'], maxSize: 5 });
  const r = await a.get(`/Account?maxSize=1&searchParams=${encodeURIComponent(sp)}`);
  expect(r.body.total).toBe(1);
  expect(r.body.list[0].name).toBe('Charlie');
  const bad = await a.get('/Account?searchParams=%7Bnot-json');
  expect(bad.status).toBe(400);
  expect(reason(bad)).toBe('Invalid search params JSON.');
});

test('X-No-Total: total -1 when more rows exist, -2 when not; Email never counts', async () => {
  const more = await a.get('/Account?maxSize=2', { 'X-No-Total': 'true' });
  expect(more.body.total).toBe(-1);
  expect(more.body.list).toHaveLength(2);
  const none = await a.get('/Account?maxSize=10', { 'X-No-Total': 'true' });
  expect(none.body.total).toBe(-2);
  expect(none.body.list).toHaveLength(5);
  const email = await a.get('/Email');
  expect(email.body).toEqual({ total: -2, list: [] });
});

test('textFilter and primaryFilter', async () => {
  const r = await a.get('/Account?textFilter=ec');
  expect(listNames(r.body)).toEqual(['Echo']);
  const p = await a.get('/Account?primaryFilter=partners&orderBy=name');
  expect(listNames(p.body)).toEqual(['Charlie', 'Delta', 'Echo']);
});

test.each([
  ['maxSize=201', 403, 'Max size should not exceed 200. Use offset and limit.'],
  ['orderBy=colour', 400, "Order by non-existing field 'colour'."],
  ['order=sideways', 400, 'order value is bad.'],
  ['where[0][type]=equals&where[0][attribute]=colour&where[0][value]=red', 400, "Not existing attribute 'colour' in where."],
  ['where[0][type]=sortOf&where[0][attribute]=name&where[0][value]=x', 400, "Unknown where item type 'sortOf'."],
  ['where[0][type]=in&where[0][attribute]=name&where[0][value]=x', 400, "Bad where item 'in'."],
  ['where[0][type]=between&where[0][attribute]=sicCode&where[0][value][0]=1', 400, "Bad where item 'between'."],
  ['where[0][type]=linkedWith&where[0][attribute]=nothing&where[0][value]=1', 400, "Not existing relation 'nothing' in where."],
  ['where[0][type]=equals&where[0][attribute]=account.name&where[0][value]=x', 400, 'Complex expressions are forbidden in where.'],
  ['where[0][type]=not&where[0][value][0][type]=isNull&where[0][value][0][attribute]=name', 400, 'Sub-queries are forbidden in where.'],
  ['primaryFilter=nope', 400, "No primary filter 'nope' for 'Account'."],
])('%s -> %i %s', async (q, status, text) => {
  const r = await a.get(`/Account?${q}`);
  expect(r.status).toBe(status);
  expect(reason(r)).toBe(text);
  expect(r.text).toBe('');
});

test('maxSize=200 is allowed, 0 gives an empty page with the total', async () => {
  expect((await a.get('/Account?maxSize=200')).status).toBe(200);
  const zero = await a.get('/Account?maxSize=0');
  expect(zero.body).toEqual({ total: 5, list: [] });
});
