// The front door: a bare dialect is reached under exactly its prefix, with path and query as express would give
// them; every other request, the gateway's own endpoints first, goes through express.
import request from 'supertest';
import net from 'node:net';
import { originForm, underPrefix } from '../../gateway/front-door';
import { createApp } from '../../gateway/app';
import { makeApp, TestApp, ADMIN_KEY } from '../helpers/app';

test('underPrefix: the prefix itself, a path or a query under it; not a longer segment', () => {
  expect(underPrefix('/api/v1', '/api/v1')).toBe('');
  expect(underPrefix('/api/v1/Contact?x=1', '/api/v1')).toBe('/Contact?x=1');
  expect(underPrefix('/api/v1?maxSize=1', '/api/v1')).toBe('?maxSize=1');
  expect(underPrefix('/api/v10/Contact', '/api/v1')).toBeUndefined();
  expect(underPrefix('/api/V1/Contact', '/api/v1')).toBeUndefined();
  expect(underPrefix('/anything', '')).toBe('/anything');
});

test('originForm: an absolute request target becomes its path and query', () => {
  expect(originForm('/api/v1/Lead?x=1')).toBe('/api/v1/Lead?x=1');
  expect(originForm('http://crm.example:8080/api/v1/Lead?x=1')).toBe('/api/v1/Lead?x=1');
  expect(originForm('HTTPS://crm.example')).toBe('/');
  expect(originForm('http://crm.example?x=1')).toBe('/?x=1');
  expect(originForm('*')).toBe('*');
});

describe('through HTTP', () => {
  let t: TestApp;
  beforeAll(async () => { t = await makeApp(); });
  afterAll(() => t.close());

  test('EspoCRM under /api/v1 gets its query parsed with brackets, and a request id', async () => {
    const r = await request(t.app).get('/api/v1/Account?maxSize=1&where[0][type]=isNotNull&where[0][attribute]=name')
      .set('X-Api-Key', ADMIN_KEY).set('X-Request-Id', 'front-1');
    expect(r.status).toBe(200);
    expect(r.body.list.length).toBeLessThanOrEqual(1);
    expect(r.headers['x-request-id']).toBe('front-1');
  });

  test('a longer first segment is not EspoCRM: it reaches react-admin, which answers in its own shape', async () => {
    const r = await request(t.app).get('/api/v10').set('Authorization', `Bearer ${ADMIN_KEY}`);
    expect(r.status).toBe(404);
    expect(r.body).toHaveProperty('error');
    expect(r.headers['x-status-reason']).toBeUndefined();
  });

  test('the gateway endpoints answer on a port that serves one bare dialect at its root', async () => {
    const only = await createApp({ core: t.core, authRequired: true, only: 'espo' });
    const h = await request(only).get('/_gateway/health');
    expect(h.status).toBe(200);
    expect(h.body.status).toBe('ok');
    const espo = await request(only).get('/Account?maxSize=1').set('X-Api-Key', ADMIN_KEY);
    expect(espo.status).toBe(200);
    expect(espo.headers['x-request-id']).toMatch(/\S/);
    const unknown = await request(only).get('/Nope/1/2/3/4').set('X-Api-Key', ADMIN_KEY);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('');
  });

  test('react-admin alone at the root of its port: its resources, its 404 shape, and the gateway endpoints', async () => {
    const only = await createApp({ core: t.core, authRequired: true, only: 'react-admin' });
    await t.core.create('contact', { first_name: 'Ada', last_name: 'Root' }, t.ctx);
    const list = await request(only).get('/contacts?range=[0,0]').set('Authorization', `Bearer ${ADMIN_KEY}`);
    expect(list.status).toBe(200);
    expect(list.headers['content-range']).toMatch(/^contacts 0-0\/\d+$/);
    const missing = await request(only).get('/contacts/999999999').set('Authorization', `Bearer ${ADMIN_KEY}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: expect.any(String) });
    expect((await request(only).get('/_gateway/version')).body).toMatchObject({ name: 'crm-gateway' });
  });

  test('a request in absolute form (through a proxy) reaches EspoCRM too', async () => {
    const { port } = t.app.address() as net.AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.write(`GET http://127.0.0.1:${port}/api/v1/Account?maxSize=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: ${ADMIN_KEY}\r\nConnection: close\r\n\r\n`);
      });
      let out = '';
      sock.on('data', (d) => { out += d.toString(); });
      sock.on('end', () => resolve(out));
      sock.on('error', reject);
    });
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(raw).toContain('"total":');
  });
});
