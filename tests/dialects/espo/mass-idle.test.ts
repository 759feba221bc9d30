// Idle mass actions (espocrm.md §9): `POST /MassAction` with `idle: true` answers `{id}` at once, the action runs
// after the response, and `GET /MassAction/{id}/status` tells its starter (or an administrator) how it went.
import request from 'supertest';
import type { Response } from 'supertest';
import { makeApp, TestApp } from '../../helpers/app';
import { Api, HEX_ID, api, count, reason } from './espo';

let t: TestApp;
let a: Api;
const SAM_KEY = 'sam-key-idle-0123456789';
beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  await t.core.createUser('sam', { key: SAM_KEY });
});
afterAll(() => t.close());

const asSam = (path: string) => request(t.app).get(`/api/v1${path}`).set('X-Api-Key', SAM_KEY);
const samPost = (path: string, body: object) => request(t.app).post(`/api/v1${path}`).set('X-Api-Key', SAM_KEY).send(body);

async function leads(...names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const lastName of names) out.push((await a.post('/Lead', { lastName, status: 'New' }, { 'X-Skip-Duplicate-Check': 'true' })).body.id);
  return out;
}

/** Polls the status until the action has finished; bounded, so a job that never ends fails instead of hanging. */
async function finished(id: string, get: (p: string) => Promise<Response> = a.get): Promise<Response> {
  for (let i = 0; i < 200; i++) {
    const r = await get(`/MassAction/${id}/status`);
    if (r.status !== 200 || !['Pending', 'Running'].includes(r.body.status)) return r;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`mass action ${id} did not finish`);
}

async function idle(body: object): Promise<string> {
  const r = await a.post('/MassAction', { ...body, idle: true });
  expect(r.status).toBe(200);
  expect(Object.keys(r.body)).toEqual(['id']);
  expect(r.body.id).toMatch(HEX_ID);
  return r.body.id;
}

describe('idle mass actions run after the answer and report their outcome', () => {
  test('update by ids', async () => {
    const [l1, l2] = await leads('Idle1', 'Idle2');
    const id = await idle({ entityType: 'Lead', action: 'update', params: { ids: [l1, l2] }, data: { values: { status: 'Assigned' } } });
    const s = await finished(id);
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ status: 'Success', processedCount: 2 });
    for (const l of [l1, l2]) expect((await a.get(`/Lead/${l}`)).body.status).toBe('Assigned');
  });

  test('update by where counts only the records it changed', async () => {
    const [l1] = await leads('IdleW1', 'IdleW2');
    await a.put(`/Lead/${l1}`, { source: 'Call' });
    const where = [{ type: 'startsWith', attribute: 'lastName', value: 'IdleW' }];
    const id = await idle({ entityType: 'Lead', action: 'update', params: { where }, data: { values: { source: 'Call' } } });
    expect((await finished(id)).body).toEqual({ status: 'Success', processedCount: 1 });
  });

  test('delete by ids and by where', async () => {
    const [d1, d2, d3] = await leads('IdleDel1', 'IdleDel2', 'IdleDelW');
    const before = await count(t, 'lead');
    const byIds = await idle({ entityType: 'Lead', action: 'delete', params: { ids: [d1, d2] } });
    expect((await finished(byIds)).body).toEqual({ status: 'Success', processedCount: 2 });
    const byWhere = await idle({ entityType: 'Lead', action: 'delete', params: { where: [{ type: 'equals', attribute: 'lastName', value: 'IdleDelW' }] } });
    expect((await finished(byWhere)).body).toEqual({ status: 'Success', processedCount: 1 });
    expect(await count(t, 'lead')).toBe(before - 3);
    expect((await a.get(`/Lead/${d3}`)).body.deleted).toBe(true);
  });

  test('a failure in the background is the status Failed; the action changed nothing and the server goes on', async () => {
    const [l1] = await leads('IdleFail');
    const missingUser = '0000000000000fffe';
    const id = await idle({ entityType: 'Lead', action: 'update', params: { ids: [l1] }, data: { values: { assignedUserId: missingUser, status: 'Dead' } } });
    expect((await finished(id)).body).toEqual({ status: 'Failed', processedCount: 0 });
    expect((await a.get(`/Lead/${l1}`)).body.status).toBe('New');
    expect((await a.get('/Lead?maxSize=1')).status).toBe(200);
  });
});

describe('who may read a status', () => {
  test('the user who started it; another regular user gets 403; an administrator may read it', async () => {
    const [l1] = await leads('IdleSam');
    const r = await samPost('/MassAction', { entityType: 'Lead', action: 'update', params: { ids: [l1] }, data: { values: { status: 'Recycled' } }, idle: true });
    expect(r.status).toBe(200);
    expect((await finished(r.body.id, asSam)).body).toEqual({ status: 'Success', processedCount: 1 });
    expect((await a.get(`/MassAction/${r.body.id}/status`)).body.status).toBe('Success');
    const admins = await idle({ entityType: 'Lead', action: 'update', params: { ids: [l1] }, data: { values: { status: 'New' } } });
    await finished(admins);
    const other = await asSam(`/MassAction/${admins}/status`);
    expect(other.status).toBe(403);
    expect(other.text).toBe('');
  });

  test.each([
    ['an id no job has', '0000000000000fffd'],
    ['a record id', '00000000000000001'],
    ['a non-hex id', 'not-an-id'],
  ])('%s -> 404, empty body', async (_what, id) => {
    const r = await a.get(`/MassAction/${id}/status`);
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
  });

  test('no credentials -> 401', async () => {
    expect((await request(t.app).get('/api/v1/MassAction/00000000000000001/status')).status).toBe(401);
  });
});

describe('the idle flag', () => {
  test.each([[[true]], [{}], ['yes'], [2], ['idle']])('idle %j -> 400, nothing runs', async (flag) => {
    const [l1] = await leads('IdleBad');
    const r = await a.post('/MassAction', { entityType: 'Lead', action: 'update', params: { ids: [l1] }, data: { values: { status: 'Dead' } }, idle: flag });
    expect(r.status).toBe(400);
    expect(reason(r)).toBe("Bad 'idle'.");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await a.get(`/Lead/${l1}`)).body.status).toBe('New');
  });

  test.each([[false], [null], [0], ['0'], ['false']])('idle %j runs at once and answers the count', async (flag) => {
    const [l1] = await leads('IdleOff');
    const r = await a.post('/MassAction', { entityType: 'Lead', action: 'update', params: { ids: [l1] }, data: { values: { status: 'Dead' } }, idle: flag });
    expect(r.body).toEqual({ count: 1, ids: [l1] });
  });

  test.each([[1], ['1'], ['true']])('idle %j is idle', async (flag) => {
    const [l1] = await leads('IdleOn');
    const r = await a.post('/MassAction', { entityType: 'Lead', action: 'delete', params: { ids: [l1] }, idle: flag });
    expect(Object.keys(r.body)).toEqual(['id']);
    expect((await finished(r.body.id)).body).toEqual({ status: 'Success', processedCount: 1 });
  });

  test('a bad request is refused at once, not accepted as a job that fails', async () => {
    const [l1] = await leads('IdleEarly');
    const cases: [object, number, string | undefined][] = [
      [{ entityType: 'Lead', action: 'explode', params: { ids: [l1] } }, 404, "Mass action 'explode' not found."],
      [{ entityType: 'Lead', action: 'update', params: { where: [{ type: 'equals', attribute: 'colour', value: 'red' }] } }, 400, "Not existing attribute 'colour' in where."],
      [{ entityType: 'Lead', action: 'update', params: { ids: [l1] }, data: { values: 'x' } }, 400, 'No `values` in mass-action data.'],
    ];
    for (const [body, status, text] of cases) {
      const r = await a.post('/MassAction', { ...body, idle: true });
      expect([r.status, reason(r)]).toEqual([status, text]);
    }
  });
});
