// Malformed input of every kind at every route family: never a 5xx, and a refused write changes nothing.
import { makeApp, TestApp } from '../../helpers/app';
import { api, Api } from './espo';

let t: TestApp;
let e: Api;
beforeAll(async () => { t = await makeApp(); e = api(t); });
afterAll(() => t.close());

/** A small deterministic generator of hostile values. */
function* junk(): Generator<unknown> {
  const atoms: unknown[] = ['', ' ', "' OR 1=1 --", '"; DROP TABLE crm_contact; --', '%', '_', '\\', '\u0000', 'null', 'NaN',
    '-1', '1e309', '99999999999999999999', 'ffffffffffffffffffff', '0000000000000000z', '2026-13-45', '2026-01-01T00:00:00Z',
    'x'.repeat(5000), '名前', '🙂', '<script>', '../../etc/passwd', 0, -1, 1.5, 1e308, true, false, null, [], {}, [[]], { $gt: '' },
    ['a', { b: 1 }], { type: 'or', value: 'x' }];
  for (const a of atoms) yield a;
}

const ENTITIES = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Task', 'Call', 'Meeting', 'Email', 'Document', 'User', 'Nope', 'account'];

test('list parameters: no value of any parameter reaches a 5xx', async () => {
  const params = ['where', 'whereGroup', 'select', 'attributeSelect', 'maxSize', 'offset', 'orderBy', 'sortBy', 'order', 'asc',
    'textFilter', 'q', 'primaryFilter', 'boolFilterList', 'searchParams'];
  for (const entity of ['Account', 'Contact', 'Task', 'Email']) {
    for (const p of params) {
      for (const v of junk()) {
        const value = typeof v === 'object' ? JSON.stringify(v) : String(v);
        const r = await e.get(`/${entity}?${encodeURIComponent(p)}=${encodeURIComponent(value)}`);
        expect([p, value.slice(0, 40), r.status < 500]).toEqual([p, value.slice(0, 40), true]);
      }
    }
  }
}, 120000);

test('where items with hostile types, attributes and values', async () => {
  const types = ['equals', 'in', 'notIn', 'between', 'like', 'contains', 'linkedWith', 'arrayAnyOf', 'lastXDays', 'or', 'and', 'not', 'isTrue', 'bogus'];
  const attrs = ['name', 'lastName', 'emailAddress', 'accountId', 'createdAt', 'amount', 'doNotCall', 'accounts', "name' --", 'id'];
  for (const type of types) {
    for (const attribute of attrs) {
      for (const value of junk()) {
        const sp = JSON.stringify({ where: [{ type, attribute, value, dateTime: true }] });
        const r = await e.get(`/Contact?searchParams=${encodeURIComponent(sp)}`);
        expect([type, attribute, r.status < 500]).toEqual([type, attribute, true]);
      }
    }
  }
}, 120000);

test('writes with hostile bodies change nothing and never 5xx', async () => {
  const before = await t.core.count('contact', undefined, t.ctx);
  const acc = (await e.post('/Account', { name: 'Fuzz Target' }, { 'X-Skip-Duplicate-Check': 'true' })).body.id as string;
  const accounts = await t.core.count('account', undefined, t.ctx);
  const bodies: unknown[] = ['{', '[1,2', 'null', '"x"', '42', '{"lastName":', '\u0000', ...junk()];
  const attrs = ['lastName', 'firstName', 'emailAddress', 'emailAddressData', 'phoneNumberData', 'accountId', 'accountsIds', 'birthday', 'doNotCall', 'salutationName', 'createdAt', 'id'];
  for (const entity of ENTITIES) {
    for (const b of bodies) {
      const raw = typeof b === 'string' ? b : JSON.stringify(b);
      for (const r of [await e.post(`/${entity}`, raw), await e.put(`/${entity}/${acc}`, raw), await e.post(`/${entity}/${acc}/contacts`, raw),
        await e.post('/MassAction', raw), await e.post(`/${entity}/action/convert`, raw)]) {
        expect([entity, raw.slice(0, 30), r.status < 500]).toEqual([entity, raw.slice(0, 30), true]);
      }
    }
  }
  for (const attr of attrs) {
    for (const v of junk()) {
      const r = await e.put(`/Account/${acc}`, { [attr]: v, name: v });
      expect([attr, String(v).slice(0, 30), r.status < 500]).toEqual([attr, String(v).slice(0, 30), true]);
      const c = await e.post('/Contact', { lastName: v, [attr]: v }, { 'X-Skip-Duplicate-Check': 'true' });
      expect([attr, String(v).slice(0, 30), c.status < 500]).toEqual([attr, String(v).slice(0, 30), true]);
    }
  }
  expect(await t.core.count('account', undefined, t.ctx)).toBe(accounts);
  // Only well-formed contacts (a string lastName) may have been created by the loop above.
  const created = await t.core.find('contact', { where: { field: 'created_at', op: 'isNotNull' }, select: ['id', 'last_name'] }, t.ctx);
  expect(created.records.length).toBeGreaterThanOrEqual(before);
  for (const c of created.records) expect(typeof c.last_name).toBe('string');
}, 120000);
