// Email create / send (espocrm.md §9) and the Task / Call / Meeting split of the activity entity (mapping.md §4.3).
import request from 'supertest';
import { makeApp, TestApp } from '../../helpers/app';
import { ADMIN_ID, Api, DATETIME, api, count, idOf, reason } from './espo';

let t: TestApp;
let a: Api;
let acme: string;
beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  acme = (await a.post('/Account', { name: 'Acme' })).body.id;
});
afterAll(() => t.close());

describe('Email', () => {
  test('stored as Archived by default, linked to its parent; name is the subject', async () => {
    const r = await a.post('/Email', { name: 'Hello', from: 'me@acme.test', to: 'you@acme.test', body: '<p>Hi</p>', isHtml: true, parentType: 'Account', parentId: acme });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Hello', subject: 'Hello', status: 'Archived', from: 'me@acme.test', to: 'you@acme.test', parentType: 'Account', parentId: acme, parentName: 'Acme', isHtml: true });
    const children = await a.get(`/Account/${acme}/emails`);
    expect(children.body.list.map((e: { id: string }) => e.id)).toContain(r.body.id);
  });

  test('`subject` is accepted as the name; status Sending is stored as Sent with dateSent', async () => {
    const r = await a.post('/Email', { subject: 'Sent one', from: 'me@acme.test', to: 'you@acme.test', status: 'Sending' });
    expect(r.status).toBe(200);
    expect(r.body.name).toBe('Sent one');
    expect(r.body.status).toBe('Sent');
    expect(r.body.dateSent).toMatch(DATETIME);
    expect((await t.core.get('email', idOf(r.body.id), t.ctx)).status).toBe('Sent');
  });

  test('sending without a To address: 400 "Empty To address.", nothing stored', async () => {
    const before = await count(t, 'email');
    const r = await a.post('/Email', { name: 'Nobody', from: 'me@acme.test', status: 'Sending' });
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('Empty To address.');
    expect(await count(t, 'email')).toBe(before);
  });

  test('`from` defaults to the caller\'s address', async () => {
    const { user, key } = await t.core.createUser('sam', { key: 'sam-key-0123456789' });
    await t.core.update('user', user.id, { email: 'sam@acme.test' }, t.ctx);
    const r = await request(t.app).post('/api/v1/Email').set('X-Api-Key', key).send({ name: 'From Sam', to: 'you@acme.test' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: 'sam@acme.test', createdById: user.id.toString(16).padStart(17, '0') });
  });

  test('an archived email needs a name and a To address', async () => {
    const r = await a.post('/Email', { to: 'x@y.test' });
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('Field validation failure; entityType: Email, field: name, type: required.');
  });
});

describe('Task / Call / Meeting', () => {
  let task: string;
  let call: string;
  let meeting: string;
  beforeAll(async () => {
    task = (await a.post('/Task', { name: 'Write report', assignedUserId: ADMIN_ID, priority: 'High', dateEnd: '2026-06-01 17:00:00' })).body.id;
    call = (await a.post('/Call', { name: 'Call Ann', assignedUserId: ADMIN_ID, dateStart: '2026-06-01 09:00:00', dateEnd: '2026-06-01 09:15:00' })).body.id;
    meeting = (await a.post('/Meeting', { name: 'Board', assignedUserId: ADMIN_ID, dateStart: '2026-06-02 09:00:00', dateEnd: '2026-06-02 11:00:00' })).body.id;
  });

  test('create sets the kind and the type defaults', async () => {
    expect((await t.core.get('activity', idOf(task), t.ctx)).kind).toBe('task');
    expect((await t.core.get('activity', idOf(call), t.ctx)).kind).toBe('call');
    expect((await t.core.get('activity', idOf(meeting), t.ctx)).kind).toBe('meeting');
    const r = await a.get(`/Task/${task}`);
    expect(r.body).toMatchObject({ name: 'Write report', status: 'Not Started', priority: 'High', dateEnd: '2026-06-01 17:00:00' });
    expect((await a.get(`/Call/${call}`)).body).toMatchObject({ status: 'Planned', direction: 'Outbound', duration: 900 });
  });

  test('lists and reads filter by kind; another type\'s id is 404', async () => {
    const tasks = await a.get('/Task');
    expect(tasks.body.list.map((x: { id: string }) => x.id)).toEqual([task]);
    const calls = await a.get('/Call');
    expect(calls.body).toMatchObject({ total: 1, list: [{ id: call }] });
    expect((await a.get(`/Task/${call}`)).status).toBe(404);
    expect((await a.put(`/Meeting/${call}`, { name: 'x' })).status).toBe(404);
    expect((await a.del(`/Task/${meeting}`)).status).toBe(404);
    expect((await t.core.get('activity', idOf(meeting), t.ctx)).deleted_at).toBeNull();
  });

  test('Calls sort by dateStart desc by default', async () => {
    const early = (await a.post('/Call', { name: 'Early', assignedUserId: ADMIN_ID, dateStart: '2026-01-01 08:00:00', dateEnd: '2026-01-01 08:10:00' })).body.id;
    const r = await a.get('/Call?select=name');
    expect(r.body.list.map((x: { id: string }) => x.id)).toEqual([call, early]);
  });

  test('completing a task sets dateCompleted; a dateCompleted sent is read-only and ignored', async () => {
    const r = await a.put(`/Task/${task}`, { status: 'Completed', dateCompleted: '2001-01-01 00:00:00' });
    expect(r.body.dateCompleted).toMatch(DATETIME);
    expect(r.body.dateCompleted).not.toBe('2001-01-01 00:00:00');
  });
});
