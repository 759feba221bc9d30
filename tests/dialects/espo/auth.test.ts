// EspoCRM authentication (espocrm.md §2): X-Api-Key, Espo-Authorization, Basic; 401 with an empty body.
import request from 'supertest';
import { makeApp, ADMIN_KEY, TestApp } from '../../helpers/app';
import { ADMIN_ID } from './espo';

let t: TestApp;
beforeAll(async () => { t = await makeApp(); });
afterAll(() => t.close());

const b64 = (s: string) => Buffer.from(s).toString('base64');
const get = (path: string) => request(t.app).get(`/api/v1${path}`);

test('X-Api-Key', async () => {
  const r = await get('/Account').set('X-Api-Key', ADMIN_KEY);
  expect(r.status).toBe(200);
});

test('no credentials: 401, empty body, WWW-Authenticate for a plain GET only', async () => {
  const r = await get('/Account');
  expect(r.status).toBe(401);
  expect(r.text).toBe('');
  expect(r.headers['www-authenticate']).toBe('Basic realm=""');
  expect(r.headers['x-status-reason']).toBeUndefined();
  expect((await get('/Account').set('X-Requested-With', 'XMLHttpRequest')).headers['www-authenticate']).toBeUndefined();
  expect((await get('/Account').set('Referer', 'http://crm.test/')).headers['www-authenticate']).toBeUndefined();
  const post = await request(t.app).post('/api/v1/Account').send({ name: 'x' });
  expect(post.status).toBe(401);
  expect(post.headers['www-authenticate']).toBeUndefined();
});

test('wrong key: 401 without WWW-Authenticate, even on an unknown entity (auth before routing)', async () => {
  for (const path of ['/Account', '/Spaceship', '/Account/00000000000000002/contacts']) {
    const r = await get(path).set('X-Api-Key', 'wrong');
    expect(r.status).toBe(401);
    expect(r.text).toBe('');
    expect(r.headers['www-authenticate']).toBeUndefined();
  }
});

test('Espo-Authorization: base64(user:key), trimmed; no colon -> 400', async () => {
  expect((await get('/Account').set('Espo-Authorization', b64(`admin:${ADMIN_KEY}`))).status).toBe(200);
  expect((await get('/Account').set('Espo-Authorization', b64(` Admin : ${ADMIN_KEY} `))).status).toBe(200);
  expect((await get('/Account').set('Espo-Authorization', b64('admin:wrong'))).status).toBe(401);
  expect((await get('/Account').set('Espo-Authorization', b64(`other:${ADMIN_KEY}`))).status).toBe(401);
  const bad = await get('/Account').set('Espo-Authorization', b64('no-colon-here'));
  expect(bad.status).toBe(400);
  expect(bad.headers['x-status-reason']).toBe('Auth: Bad authorization string provided.');
});

test('Espo-Authorization wins over X-Api-Key', async () => {
  const r = await get('/Account').set('Espo-Authorization', b64('admin:wrong')).set('X-Api-Key', ADMIN_KEY);
  expect(r.status).toBe(401);
});

test('Authorization: Basic', async () => {
  expect((await get('/Account').set('Authorization', `Basic ${b64(`admin:${ADMIN_KEY}`)}`)).status).toBe(200);
  expect((await get('/Account').set('Authorization', `Basic ${b64('admin:nope')}`)).status).toBe(401);
  expect((await get('/Account').set('Authorization', `Bearer ${ADMIN_KEY}`)).status).toBe(401);
});

test('a disabled user: 401 with an empty body on every scheme, as for an unknown key (EspoCRM tells them apart nowhere)', async () => {
  const { user, key } = await t.core.createUser('dora', { key: 'dora-key-0123456789' });
  const schemes: Record<string, string>[] = [
    { 'X-Api-Key': key }, { 'Espo-Authorization': b64(`dora:${key}`) }, { Authorization: `Basic ${b64(`dora:${key}`)}` },
  ];
  for (const h of schemes) expect((await get('/Account').set(h)).status).toBe(200);
  await t.core.update('user', user.id, { is_active: false }, t.ctx);
  for (const h of schemes) {
    const r = await get('/Account').set(h);
    expect(r.status).toBe(401);
    expect(r.text).toBe('');
    expect(r.headers['x-status-reason']).toBeUndefined();
  }
});

test('GET /App/user: the user; a Basic login also gets its token', async () => {
  const r = await get('/App/user').set('Espo-Authorization', b64(`admin:${ADMIN_KEY}`));
  expect(r.status).toBe(200);
  expect(r.body.user).toMatchObject({ id: ADMIN_ID, userName: 'admin', name: 'Administrator', type: 'admin', isAdmin: true });
  expect(r.body.token).toBe(ADMIN_KEY);
  const byKey = await get('/App/user').set('X-Api-Key', ADMIN_KEY);
  expect(byKey.body.user.id).toBe(ADMIN_ID);
  expect(byKey.body.token).toBeUndefined();
});

test('with auth off every request acts as the administrator', async () => {
  const open = await makeApp({ authRequired: false });
  try {
    const r = await request(open.app).post('/api/v1/Account').send({ name: 'Open' });
    expect(r.status).toBe(200);
    expect(r.body.createdById).toBe(ADMIN_ID);
    expect((await request(open.app).get('/api/v1/Account').set('X-Api-Key', 'whatever')).status).toBe(200);
  } finally {
    await open.close();
  }
});
