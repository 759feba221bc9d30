// EspoCRM relationships (espocrm.md §8): GET / POST / DELETE /{E}/{id}/{link}.
import { makeApp, TestApp } from '../../helpers/app';
import { ADMIN_ID, Api, api, idOf, reason } from './espo';

let t: TestApp;
let a: Api;
let acme: string;
let ann: string;
let bob: string;
beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  acme = (await a.post('/Account', { name: 'Acme' })).body.id;
  ann = (await a.post('/Contact', { firstName: 'Ann', lastName: 'Lee' })).body.id;
  bob = (await a.post('/Contact', { firstName: 'Bob', lastName: 'Ray' })).body.id;
});
afterAll(() => t.close());

test('manyMany: relate with {id}, list, unrelate with {id}', async () => {
  expect((await a.get(`/Account/${acme}/contacts`)).body).toEqual({ total: 0, list: [] });
  const r = await a.post(`/Account/${acme}/contacts`, { id: ann });
  expect(r.status).toBe(200);
  expect(r.text).toBe('true');
  const list = await a.get(`/Account/${acme}/contacts?select=name`);
  expect(list.body.total).toBe(1);
  expect(list.body.list[0]).toMatchObject({ id: ann, name: 'Ann Lee' });
  const c = await a.get(`/Contact/${ann}`);
  expect(c.body.accountsIds).toEqual([acme]);
  const again = await a.post(`/Account/${acme}/contacts`, { id: ann });
  expect(again.text).toBe('true');
  const un = await a.del(`/Account/${acme}/contacts`, { id: ann });
  expect(un.text).toBe('true');
  expect((await a.get(`/Account/${acme}/contacts`)).body.total).toBe(0);
});

test('{ids} relates several; unrelate also reads ?id= and ?ids[]= (legacy clients)', async () => {
  await a.post(`/Account/${acme}/contacts`, { ids: [ann, bob] });
  expect((await a.get(`/Account/${acme}/contacts`)).body.total).toBe(2);
  expect((await a.del(`/Account/${acme}/contacts?id=${ann}`)).text).toBe('true');
  expect((await a.del(`/Account/${acme}/contacts?ids[]=${bob}`)).text).toBe('true');
  expect((await a.get(`/Account/${acme}/contacts`)).body.total).toBe(0);
  expect((await a.post(`/Account/${acme}/contacts`, {})).text).toBe('false');
});

test('hasMany through a foreign key: Account.opportunities sets the opportunity account', async () => {
  const opp = (await a.post('/Opportunity', { name: 'Deal', amount: 10, closeDate: '2026-10-01' })).body.id;
  expect((await a.post(`/Account/${acme}/opportunities`, { id: opp })).text).toBe('true');
  expect((await a.get(`/Opportunity/${opp}`)).body).toMatchObject({ accountId: acme, accountName: 'Acme' });
  const back = await a.get(`/Opportunity/${opp}/account`);
  expect(back.body).toMatchObject({ total: 1, list: [{ id: acme, name: 'Acme' }] });
  expect((await a.del(`/Account/${acme}/opportunities`, { id: opp })).text).toBe('true');
  expect((await a.get(`/Opportunity/${opp}`)).body.accountId).toBeNull();
});

test('belongsTo is 403; unknown link 404; missing record 404; missing foreign record 404', async () => {
  const opp = (await a.post('/Opportunity', { name: 'Other deal', amount: 10, closeDate: '2026-10-01' })).body.id;
  const r = await a.post(`/Opportunity/${opp}/account`, { id: acme });
  expect(r.status).toBe(403);
  expect(reason(r)).toBe('Only manyMany, hasMany & hasChildren relations are allowed.');
  const unknown = await a.get(`/Account/${acme}/friends`);
  expect(unknown.status).toBe(404);
  expect(reason(unknown)).toBe('Link does not exist.');
  const missing = await a.get('/Account/0000000000000ffff/contacts');
  expect(missing.status).toBe(404);
  const foreign = await a.post(`/Account/${acme}/contacts`, { id: '0000000000000ffff' });
  expect(foreign.status).toBe(404);
  expect((await a.get(`/Account/${acme}/contacts`)).body.total).toBe(0);
});

test('hasChildren: tasks of an account; a Call is not a Task', async () => {
  const task = (await a.post('/Task', { name: 'Follow up', assignedUserId: ADMIN_ID })).body.id;
  const call = (await a.post('/Call', { name: 'Ring', assignedUserId: ADMIN_ID, dateStart: '2026-05-04 09:00:00', dateEnd: '2026-05-04 09:30:00' })).body.id;
  expect((await a.post(`/Account/${acme}/tasks`, { id: task })).text).toBe('true');
  const t1 = await a.get(`/Task/${task}`);
  expect(t1.body).toMatchObject({ parentId: acme, parentType: 'Account', parentName: 'Acme' });
  expect((await a.post(`/Account/${acme}/tasks`, { id: call })).status).toBe(404);
  await a.put(`/Call/${call}`, { parentType: 'Account', parentId: acme });
  const tasks = await a.get(`/Account/${acme}/tasks`);
  expect(tasks.body.list.map((x: { id: string }) => x.id)).toEqual([task]);
  const calls = await a.get(`/Account/${acme}/calls`);
  expect(calls.body.list.map((x: { id: string }) => x.id)).toEqual([call]);
  const parent = await a.get(`/Task/${task}/parent`);
  expect(parent.body).toMatchObject({ total: 1, list: [{ id: acme }] });
  expect((await a.del(`/Account/${acme}/tasks`, { id: task })).text).toBe('true');
  expect((await t.core.get('activity', idOf(task), t.ctx)).parent_id).toBeNull();
});

test('Call attendees: Contact.calls is the other side of Call.contacts', async () => {
  const call = (await a.post('/Call', { name: 'Conf', assignedUserId: ADMIN_ID, dateStart: '2026-05-05 09:00:00', dateEnd: '2026-05-05 09:30:00' })).body.id;
  expect((await a.post(`/Call/${call}/contacts`, { ids: [ann, bob] })).text).toBe('true');
  const r = await a.get(`/Contact/${bob}/calls`);
  expect(r.body.list.map((x: { id: string }) => x.id)).toEqual([call]);
  const read = await a.get(`/Call/${call}`);
  expect(read.body.contactsIds.sort()).toEqual([ann, bob].sort());
});

test('mass relate through a link without massLink (all but TargetList\'s) is 403; nothing is related', async () => {
  const before = (await a.get(`/Account/${acme}/contacts`)).body.total;
  const r = await a.post(`/Account/${acme}/contacts`, { massRelate: true, where: [{ type: 'equals', attribute: 'lastName', value: 'Ray' }] });
  expect(r.status).toBe(403);
  expect(reason(r)).toBe('Mass link is not allowed.');
  expect((await a.get(`/Account/${acme}/contacts`)).body.total).toBe(before);
});
