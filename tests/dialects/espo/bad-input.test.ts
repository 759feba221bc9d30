// Bad input gets EspoCRM's status and X-Status-Reason and changes nothing (DESIGN.md principle 4).
import request from 'supertest';
import { makeApp, TestApp } from '../../helpers/app';
import { Api, api, count, reason } from './espo';

let t: TestApp;
let a: Api;
let acme: string;
beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  acme = (await a.post('/Account', { name: 'Acme' })).body.id;
  await a.post('/Account', { name: 'Bolt' });
});
afterAll(() => t.close());

/** Runs `fn` and checks that the number of accounts did not move. */
async function unchanged(fn: () => Promise<void>): Promise<void> {
  const before = await count(t, 'account');
  const name = (await t.core.get('account', parseInt(acme, 16), t.ctx)).name;
  await fn();
  expect(await count(t, 'account')).toBe(before);
  expect((await t.core.get('account', parseInt(acme, 16), t.ctx)).name).toBe(name);
}

test('malformed JSON body: 400 Body is not a JSON object.', () => unchanged(async () => {
  for (const body of ['{"name": "Broken', '{name: 1}', '"just a string"', '42', 'null']) {
    const r = await a.post('/Account', body);
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('Body is not a JSON object.');
    expect(r.text).toBe('');
  }
  const put = await a.put(`/Account/${acme}`, '{"name": ');
  expect(put.status).toBe(400);
}));

test('a JSON array body is {list: [...]} (no name: required)', () => unchanged(async () => {
  const r = await a.post('/Account', [{ name: 'In a list' }]);
  expect(r.status).toBe(400);
  expect(reason(r)).toBe('Field validation failure; entityType: Account, field: name, type: required.');
}));

test('a wrong type: 400 validationFailure valid', () => unchanged(async () => {
  for (const body of [{ name: { nested: true } }, { name: ['a'] }, { name: true }]) {
    const r = await a.post('/Account', body);
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('Field validation failure; entityType: Account, field: name, type: valid.');
  }
  const r = await a.put(`/Account/${acme}`, { name: 'Renamed', campaignId: 12 });
  expect(r.status).toBe(400);
  expect(reason(r)).toBe('Field validation failure; entityType: Account, field: campaign, type: valid.');
}));

test('an unknown entity: 404 Controller does not exist (after auth)', () => unchanged(async () => {
  for (const [method, path] of [['get', '/Spaceship'], ['post', '/Spaceship'], ['get', '/spaceship/00000000000000002'], ['put', '/Tag/00000000000000002']] as const) {
    const r = await (method === 'get' ? a.get(path) : method === 'post' ? a.post(path, { name: 'x' }) : a.put(path, { name: 'x' }));
    expect(r.status).toBe(404);
    expect(reason(r)).toMatch(/^Controller '(Spaceship|Tag)' does not exist\.$/);
  }
}));

test('an unknown attribute in where; an unknown where type; a malformed item', () => unchanged(async () => {
  const u = await a.get('/Account?where[0][type]=equals&where[0][attribute]=password&where[0][value]=x');
  expect(u.status).toBe(400);
  expect(reason(u)).toBe("Not existing attribute 'password' in where.");
  const w = await a.get('/Account?where[0][type]=dropTable&where[0][attribute]=name');
  expect(w.status).toBe(400);
  expect(reason(w)).toBe("Unknown where item type 'dropTable'.");
  const m = await a.get('/Account?where[0][type]=equals&where[0][attribute]=name&where[0][value]=x&where[0][sql]=1');
  expect(m.status).toBe(400);
  expect(reason(m)).toBe("Unknown parameter 'sql'.");
  const mass = await a.post('/MassAction', { entityType: 'Account', action: 'delete', params: { where: [{ type: 'equals', attribute: 'password', value: 'x' }] } });
  expect(mass.status).toBe(400);
}));

test('a reason outside Latin-1 is sent with spaces, never a 500', () => unchanged(async () => {
  const r = await a.get(`/Account?where[0][type]=equals&where[0][attribute]=${encodeURIComponent('€uro')}&where[0][value]=1`);
  expect(r.status).toBe(400);
  expect(reason(r)).toBe("Not existing attribute ' uro' in where.");
}));

test('injection attempts in orderBy and in a where value match nothing and break nothing', () => unchanged(async () => {
  for (const orderBy of ['name;DROP TABLE crm_account', 'name desc, (select 1)', '"name"', 'name--']) {
    const r = await a.get(`/Account?orderBy=${encodeURIComponent(orderBy)}`);
    expect(r.status).toBe(400);
    expect(reason(r)).toMatch(/^Order by non-existing field/);
  }
  for (const value of ["' OR 1=1 --", "Acme' OR '1'='1", '%', "x'); DELETE FROM crm_account; --"]) {
    const r = await a.get(`/Account?where[0][type]=equals&where[0][attribute]=name&where[0][value]=${encodeURIComponent(value)}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ total: 0, list: [] });
  }
  const del = await a.post('/MassAction', { entityType: 'Account', action: 'delete', params: { where: [{ type: 'equals', attribute: 'name', value: "' OR 1=1 --" }] } });
  expect(del.body).toEqual({ count: 0 });
}));

test('a body over the limit (1mb): 413, nothing stored', () => unchanged(async () => {
  const big = JSON.stringify({ name: 'Huge', description: 'x'.repeat(1024 * 1024 + 10) });
  const r = await a.post('/Account', big);
  expect(r.status).toBe(413);
  expect(reason(r)).toBe('Request body is larger than 1mb.');
  expect(r.text).toBe('');
}));

test('missing and wrong key: 401, nothing stored', () => unchanged(async () => {
  const none = await request(t.app).post('/api/v1/Account').send({ name: 'Sneaky' });
  expect(none.status).toBe(401);
  const wrong = await request(t.app).put(`/api/v1/Account/${acme}`).set('X-Api-Key', 'nope').send({ name: 'Sneaky' });
  expect(wrong.status).toBe(401);
  const del = await request(t.app).delete(`/api/v1/Account/${acme}`).set('X-Api-Key', '');
  expect(del.status).toBe(401);
}));

test('a path no route matches is a plain 404', async () => {
  const r = await a.get('/Account/00000000000000002/contacts/extra/segments');
  expect(r.status).toBe(404);
  expect(r.text).toBe('');
});

test('bad percent-encoding in a path, or a method a path does not take: a plain 404, nothing changed', () => unchanged(async () => {
  for (const r of [await a.get('/Account/%E0%A4%A'), await a.put('/Account/%zz', { name: 'X' }), await a.del('/Account')]) {
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
  }
}));
