// Bearer authentication, CORS for browser apps, and the mounts around /api (react-admin.md §1, §3.1, §5).
import request from 'supertest';
import { ADMIN_KEY, makeApp, type TestApp } from '../../helpers/app';
import { BEARER } from './ra';

let t: TestApp;
beforeAll(async () => { t = await makeApp(); });
afterAll(() => t.close());

describe('bearer auth', () => {
  test.each<[string, Record<string, string>]>([
    ['no header', {}],
    ['wrong key', { Authorization: 'Bearer nope' }],
    ['no Bearer prefix (ra fetchJson user.token sends it verbatim)', { Authorization: ADMIN_KEY }],
    ['Basic', { Authorization: `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}` }],
    ['empty bearer', { Authorization: 'Bearer ' }],
  ])('401: %s', async (_n, headers) => {
    const r = await request(t.app).get('/api/contacts').set(headers);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: 'Unauthorized' });
    expect(r.headers['access-control-allow-origin']).toBeDefined();
  });

  test('401 before anything else: writes change nothing', async () => {
    const r = await request(t.app).post('/api/contacts').send({ first_name: 'X' });
    expect(r.status).toBe(401);
    expect(await t.core.count('contact', undefined, t.ctx)).toBe(0);
  });

  test('the admin key and other users keys work; a disabled user: 403 Account disabled (react-admin.md §3.1, §3.8)', async () => {
    expect((await request(t.app).get('/api/contacts').set(BEARER)).status).toBe(200);
    const { user, key } = await t.core.createUser('sam', { key: 'sam-key-0123456789' });
    expect((await request(t.app).get('/api/contacts').set({ Authorization: `bearer ${key}` })).status).toBe(200);
    await t.core.update('user', user.id, { is_active: false }, t.ctx);
    const r = await request(t.app).get('/api/contacts').set({ Authorization: `Bearer ${key}` });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: 'Account disabled', code: 'FORBIDDEN' });
    const write = await request(t.app).post('/api/contacts').set({ Authorization: `Bearer ${key}` }).send({ first_name: 'X' });
    expect(write.status).toBe(403);
    expect(await t.core.count('contact', undefined, t.ctx)).toBe(0);
    // An unknown key stays 401: only a key that names a disabled user gets the 403.
    expect((await request(t.app).get('/api/contacts').set({ Authorization: 'Bearer sam-key-wrong' })).status).toBe(401);
    await t.core.update('user', user.id, { is_active: true }, t.ctx);
    expect((await request(t.app).get('/api/contacts').set({ Authorization: `Bearer ${key}` })).status).toBe(200);
  });

  test('a deleted user\'s key is unknown: 401', async () => {
    const { user, key } = await t.core.createUser('gone', { key: 'gone-key-0123456789' });
    await t.core.delete('user', user.id, t.ctx);
    const r = await request(t.app).get('/api/contacts').set({ Authorization: `Bearer ${key}` });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: 'Unauthorized' });
  });

  test('--no-auth acts as the administrator', async () => {
    const open = await makeApp({ authRequired: false });
    const r = await request(open.app).post('/api/tags').send({ name: 'a', color: '#000000' });
    expect(r.status).toBe(201);
    expect(r.body.crm_user_id).toBe(1);
    await open.close();
  });
});

describe('CORS', () => {
  test('preflight: Range, Authorization, Content-Type allowed without credentials', async () => {
    const r = await request(t.app).options('/api/contacts')
      .set({ Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,range,content-type' });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const allowed = String(r.headers['access-control-allow-headers']).toLowerCase();
    for (const h of ['authorization', 'content-type', 'range']) expect(allowed).toContain(h);
    expect(String(r.headers['access-control-allow-methods'])).toMatch(/PUT/);
  });

  test('responses expose Content-Range and X-Total-Count', async () => {
    const r = await request(t.app).get('/api/contacts').set(BEARER).set('Origin', 'http://app.test');
    expect(r.headers['access-control-expose-headers']).toMatch(/Content-Range/);
    expect(r.headers['access-control-expose-headers']).toMatch(/X-Total-Count/);
    expect(r.headers['content-range']).toBe('contacts */0');
  });
});

describe('mounts', () => {
  test('/api/crm/... is reserved for Corteza: 404', async () => {
    for (const path of ['/api/crm', '/api/crm/namespace/', '/api/crm/contacts']) {
      expect((await request(t.app).get(path).set(BEARER)).status).toBe(404);
    }
  });

  test('/api/v1 stays EspoCRM', async () => {
    const r = await request(t.app).get('/api/v1/Contact').set({ 'X-Api-Key': ADMIN_KEY });
    expect(r.status).toBe(200);
    expect(r.body).toHaveProperty('list');
  });

  test('an unknown route under /api: 404 in this dialect\'s shape', async () => {
    const r = await request(t.app).get('/api/contacts/1/whatever').set(BEARER);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error: 'Not found' });
  });
});
