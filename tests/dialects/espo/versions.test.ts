// Optimistic locking with X-Version-Number (espocrm.md §3, §6) and the X-Record-Link-Updated header of an update.
import { makeApp, TestApp } from '../../helpers/app';
import { ADMIN_ID, Api, api, idOf, reason } from './espo';

let t: TestApp;
let a: Api;
beforeAll(async () => { t = await makeApp(); a = api(t); });
afterAll(() => t.close());

const version = (v: number | string) => ({ 'X-Version-Number': String(v) });

async function account(body: Record<string, unknown> = {}): Promise<string> {
  const r = await a.post('/Account', { name: 'Lock Ltd', industry: 'Banking', website: 'lock.test', ...body },
    { 'X-Skip-Duplicate-Check': 'true' });
  expect(r.status).toBe(200);
  return r.body.id as string;
}

describe('versionNumber', () => {
  test.each([
    ['Account', { name: 'V' }],
    ['Opportunity', { name: 'V', amount: 1, closeDate: '2026-12-31' }],
    ['Case', { name: 'V' }],
    ['Task', { name: 'V', assignedUserId: ADMIN_ID }],
  ])('%s shows it: 1 on create, +1 per update that changes something', async (type, body) => {
    const c = await a.post(`/${type}`, body);
    expect(c.body.versionNumber).toBe(1);
    const u = await a.put(`/${type}/${c.body.id}`, { description: 'changed' });
    expect(u.body.versionNumber).toBe(2);
    const same = await a.put(`/${type}/${c.body.id}`, { description: 'changed', versionNumber: 99 });
    expect(same.body.versionNumber).toBe(2);
    expect((await a.get(`/${type}/${c.body.id}`)).body.versionNumber).toBe(2);
  });

  test.each([
    ['Contact', { lastName: 'V' }], ['Lead', { lastName: 'V' }],
    ['Meeting', { name: 'V', dateStart: '2026-05-04 09:00:00', dateEnd: '2026-05-04 10:00:00', assignedUserId: ADMIN_ID }],
  ])('%s has none (as in EspoCRM) and ignores the header', async (type, body) => {
    const c = await a.post(`/${type}`, body);
    expect(c.body).not.toHaveProperty('versionNumber');
    const u = await a.put(`/${type}/${c.body.id}`, { description: 'stale but applied' }, version(7));
    expect(u.status).toBe(200);
    expect(u.body.description).toBe('stale but applied');
  });
});

describe('X-Version-Number', () => {
  test('the stored version: the update applies and the version moves on', async () => {
    const id = await account();
    const r = await a.put(`/Account/${id}`, { name: 'Lock 2' }, version(1));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Lock 2', versionNumber: 2 });
  });

  test('a stale one: 409 modified, the stored values of every field it would change, nothing written', async () => {
    const id = await account();
    await a.put(`/Account/${id}`, { description: 'someone else' });
    const before = (await a.get(`/Account/${id}`)).body;
    const camp = await a.post('/Campaign', { name: 'Spring' });
    const r = await a.put(`/Account/${id}`, { name: 'Mine', website: 'lock.test', campaignId: camp.body.id, industry: 'Banking' }, version(1));
    expect(r.status).toBe(409);
    expect(reason(r)).toBe('modified');
    expect(r.body).toEqual({ values: { name: 'Lock Ltd', campaignId: null, campaignName: null }, versionNumber: 2 });
    expect((await a.get(`/Account/${id}`)).body).toEqual(before);
  });

  test('a stale one whose request changes nothing passes (EspoCRM compares the values)', async () => {
    const id = await account();
    await a.put(`/Account/${id}`, { description: 'moved on' });
    const r = await a.put(`/Account/${id}`, { name: 'Lock Ltd', description: 'moved on' }, version(1));
    expect(r.status).toBe(200);
    expect(r.body.versionNumber).toBe(2);
  });

  test('an amount answers with its currency; a bad value is still a conflict first (checked before validation)', async () => {
    const o = await a.post('/Opportunity', { name: 'Deal', amount: 100, closeDate: '2026-12-31' });
    await a.put(`/Opportunity/${o.body.id}`, { stage: 'Proposal' });
    const r = await a.put(`/Opportunity/${o.body.id}`, { amount: 250, stage: 'Nonsense' }, version(1));
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ values: { amount: 100, amountCurrency: 'USD', stage: 'Proposal' }, versionNumber: 2 });
    expect(await t.core.get('opportunity', idOf(o.body.id), t.ctx)).toMatchObject({ amount: 100, stage: 'Proposal', version_number: 2 });
  });

  test.each([
    ['not a number', 'abc', 409], ['empty', '', 409], ['a leading number', '1abc', 200], ['a decimal', '1.9', 200],
    ['spaces first', ' 1', 200], ['negative', '-1', 409],
  ])('%s (%j) is read as PHP intval reads it', async (_n, header, status) => {
    const id = await account();
    const r = await a.put(`/Account/${id}`, { name: `Header ${header}` }, { 'X-Version-Number': header });
    expect(r.status).toBe(status);
    const stored = await t.core.get('account', idOf(id), t.ctx);
    if (status === 409) {
      expect(reason(r)).toBe('modified');
      expect(r.body).toEqual({ values: { name: 'Lock Ltd' }, versionNumber: 1 });
      expect([stored.name, stored.version_number]).toEqual(['Lock Ltd', 1]);
    } else {
      expect([stored.name, stored.version_number]).toEqual([`Header ${header}`, 2]);
    }
  });

  test('a mass update moves the version too', async () => {
    const id = await account();
    const m = await a.post('/MassAction', { entityType: 'Account', action: 'update', params: { ids: [id] }, data: { values: { industry: 'Finance' } } });
    expect(m.body).toEqual({ count: 1, ids: [id] });
    const r = await a.put(`/Account/${id}`, { name: 'After mass' }, version(1));
    expect(r.status).toBe(409);
    expect(r.body.versionNumber).toBe(2);
  });

  test('two writers holding the same version: one wins, the other gets 409', async () => {
    const id = await account();
    const [x, y] = await Promise.all([
      a.put(`/Account/${id}`, { name: 'Writer X' }, version(1)),
      a.put(`/Account/${id}`, { name: 'Writer Y' }, version(1)),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const winner = x.status === 200 ? 'Writer X' : 'Writer Y';
    expect((y.status === 409 ? y : x).body).toEqual({ values: { name: winner }, versionNumber: 2 });
    expect((await t.core.get('account', idOf(id), t.ctx)).name).toBe(winner);
  });

  test('a missing record is still 404', async () => {
    const r = await a.put('/Account/0000000000000ffff', { name: 'x' }, version(1));
    expect(r.status).toBe(404);
    expect(reason(r)).toBe('Record 0000000000000ffff not found.');
  });
});

describe('X-Record-Link-Updated', () => {
  test('set when a belongsTo id, linkMultiple ids or a parent change; absent otherwise', async () => {
    const acc = await account();
    const other = await account({ name: 'Other Ltd' });
    const c = await a.post('/Contact', { lastName: 'Linked', accountId: acc });
    const id = c.body.id as string;
    const plain = await a.put(`/Contact/${id}`, { title: 'CTO' });
    expect(plain.headers['x-record-link-updated']).toBeUndefined();
    const moved = await a.put(`/Contact/${id}`, { accountId: other });
    expect(moved.headers['x-record-link-updated']).toBe('true');
    // Moving the primary account keeps the old one related, as EspoCRM's hook does (only clearing it unrelates).
    expect(moved.body.accountsIds).toEqual([acc, other]);
    const fewer = await a.put(`/Contact/${id}`, { accountsIds: [other] });
    expect(fewer.headers['x-record-link-updated']).toBe('true');
    const many = await a.put(`/Contact/${id}`, { accountsIds: [other, acc] });
    expect(many.headers['x-record-link-updated']).toBe('true');
    const reordered = await a.put(`/Contact/${id}`, { accountsIds: [acc, other] });
    expect(reordered.headers['x-record-link-updated']).toBeUndefined();
    const task = await a.post('/Task', { name: 'Child', assignedUserId: ADMIN_ID });
    const parent = await a.put(`/Task/${task.body.id}`, { parentType: 'Account', parentId: acc });
    expect(parent.headers['x-record-link-updated']).toBe('true');
    expect(parent.body).toMatchObject({ parentType: 'Account', parentId: acc, parentName: 'Lock Ltd' });
  });
});
