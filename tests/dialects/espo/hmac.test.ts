// EspoCRM HMAC authentication (espocrm.md §2, worked example §12): X-Hmac-Authorization = base64(key:signature).
import crypto from 'node:crypto';
import request from 'supertest';
import { makeApp, ADMIN_KEY, TestApp } from '../../helpers/app';
import { hmacMatches, parseHmacHeader } from '../../../dialects/espo/hmac';

// The user of espocrm.md §12.
const KEY = 'ab12cd34ef56';
const SECRET = 'topsecret';
const SPEC_HEADER = 'YWIxMmNkMzRlZjU2OmFiNThiY2QwZjdhMGRhOTllN2Y3YWMyZmM5MWVmYTc2NWMyN2U5ZDVjOTRjOTQwMTVhYmZiMjJkMjU1YmNiZTU=';

let t: TestApp;
let userId: number;
beforeAll(async () => {
  t = await makeApp();
  userId = (await t.core.createUser('hmac-bot', { key: KEY, hmacSecret: SECRET })).user.id;
  await t.core.createUser('plain-bot', { key: 'plain-key-0123456789' });
});
afterAll(() => t.close());

const digest = (secret: string, message: string) => crypto.createHmac('sha256', secret).update(message).digest();
const signed = (key: string, signature: Buffer | string) =>
  Buffer.concat([Buffer.from(`${key}:`), Buffer.isBuffer(signature) ? signature : Buffer.from(signature)]).toString('base64');
const hexHeader = (message: string, secret = SECRET, key = KEY) => signed(key, digest(secret, message).toString('hex'));

function expect401(r: request.Response): void {
  expect(r.status).toBe(401);
  expect(r.text).toBe('');
  expect(r.headers['www-authenticate']).toBeUndefined();
  expect(r.headers['x-status-reason']).toBeUndefined();
}

test('the worked example of espocrm.md §12: GET /api/v1/Lead?maxSize=5 with the given header', async () => {
  expect(hexHeader('GET /Lead')).toBe(SPEC_HEADER);
  const r = await request(t.app).get('/api/v1/Lead?maxSize=5').set('X-Hmac-Authorization', SPEC_HEADER);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ total: 0, list: [] });
  const me = await request(t.app).get('/api/v1/App/user').set('X-Hmac-Authorization', hexHeader('GET /App/user'));
  expect(me.status).toBe(200);
  expect(me.body.user.userName).toBe('hmac-bot');
  expect(me.body.token).toBeUndefined();
});

test('the query string is not signed: any query, or none, with the same header', async () => {
  for (const path of ['/Lead', '/Lead?maxSize=1&offset=0', '/Lead?where[0][type]=isNull&where[0][attribute]=source']) {
    expect((await request(t.app).get(`/api/v1${path}`).set('X-Hmac-Authorization', SPEC_HEADER)).status).toBe(200);
  }
});

test('a write is signed with its own method and path, and acts as the HMAC user', async () => {
  const r = await request(t.app).post('/api/v1/Account').set('X-Hmac-Authorization', hexHeader('POST /Account')).send({ name: 'Signed' });
  expect(r.status).toBe(200);
  expect(parseInt(r.body.createdById, 16)).toBe(userId);
});

test('the legacy raw 32-byte digest is accepted', async () => {
  const raw = digest(SECRET, 'GET /Lead');
  expect(raw).toHaveLength(32);
  const r = await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', signed(KEY, raw));
  expect(r.status).toBe(200);
});

test('wrong secret, method or path: 401 with an empty body', async () => {
  expect401(await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', hexHeader('GET /Lead', 'not-the-secret')));
  expect401(await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', hexHeader('POST /Lead')));
  expect401(await request(t.app).get('/api/v1/Contact').set('X-Hmac-Authorization', SPEC_HEADER));
  expect401(await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', hexHeader('GET /api/v1/Lead')));
  expect401(await request(t.app).post('/api/v1/Lead').set('X-Hmac-Authorization', SPEC_HEADER).send({ lastName: 'x' }));
  expect(await t.core.count('lead', undefined, t.ctx)).toBe(0);
});

test('malformed headers: 401, never 400 or 500', async () => {
  const upper = signed(KEY, digest(SECRET, 'GET /Lead').toString('hex').toUpperCase());
  const raw31 = signed(KEY, digest(SECRET, 'GET /Lead').subarray(0, 31));
  for (const value of ['', 'not base64 at all!', Buffer.from('no-colon').toString('base64'), Buffer.from(':abc').toString('base64'),
    signed(KEY, ''), signed('unknown-key', digest(SECRET, 'GET /Lead').toString('hex')), upper, raw31]) {
    expect401(await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', value));
  }
});

test('a key without a secret cannot sign, and a key with a secret is refused without a signature', async () => {
  const plain = signed('plain-key-0123456789', digest('', 'GET /Lead').toString('hex'));
  expect401(await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', plain));
  expect401(await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', signed(ADMIN_KEY, digest('', 'GET /Lead').toString('hex'))));
  // The header carries the key in base64: whoever saw one signed request must not be able to use the key alone.
  expect401(await request(t.app).get('/api/v1/Lead').set('X-Api-Key', KEY));
  expect401(await request(t.app).get('/api/v1/Lead').set('Espo-Authorization', Buffer.from(`hmac-bot:${KEY}`).toString('base64')));
  expect((await request(t.app).get('/api/contacts').set('Authorization', `Bearer ${KEY}`)).status).toBe(401);
});

test('order (espocrm.md §2): Espo-Authorization, then X-Api-Key, then X-Hmac-Authorization', async () => {
  const both = (apiKey: string) => request(t.app).get('/api/v1/Lead').set('X-Api-Key', apiKey).set('X-Hmac-Authorization', SPEC_HEADER);
  expect((await both(ADMIN_KEY)).status).toBe(200);
  expect401(await both('wrong'));
  const withEspo = await request(t.app).get('/api/v1/Lead').set('Espo-Authorization', Buffer.from('admin:wrong').toString('base64'))
    .set('X-Hmac-Authorization', SPEC_HEADER);
  expect401(withEspo);
  const overBasic = await request(t.app).get('/api/v1/Lead').set('Authorization', `Basic ${Buffer.from('admin:wrong').toString('base64')}`)
    .set('X-Hmac-Authorization', SPEC_HEADER);
  expect(overBasic.status).toBe(200);
});

test('a disabled HMAC user: 401', async () => {
  const { user } = await t.core.createUser('hmac-gone', { key: 'gone-key-0123456789', hmacSecret: 's3' });
  const header = signed('gone-key-0123456789', digest('s3', 'GET /Lead').toString('hex'));
  expect((await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', header)).status).toBe(200);
  await t.core.update('user', user.id, { is_active: false }, t.ctx);
  expect401(await request(t.app).get('/api/v1/Lead').set('X-Hmac-Authorization', header));
});

test('hmacMatches / parseHmacHeader: the key is cut at the first colon, the signature kept as bytes', () => {
  const raw = Buffer.from([0x3a, 0xff, 0x00, 0x3a]);
  const parsed = parseHmacHeader(Buffer.concat([Buffer.from('k:'), raw]).toString('base64'));
  expect(parsed?.apiKey).toBe('k');
  expect(parsed?.signature.equals(raw)).toBe(true);
  expect(parseHmacHeader(Buffer.from('nothing').toString('base64'))).toBeUndefined();
  const hex = digest('s', 'GET /X').toString('hex');
  expect(hmacMatches('s', 'GET /X', Buffer.from(hex))).toBe(true);
  expect(hmacMatches('s', 'GET /X', digest('s', 'GET /X'))).toBe(true);
  expect(hmacMatches('s', 'GET /Y', Buffer.from(hex))).toBe(false);
  expect(hmacMatches('s', 'GET /X', Buffer.from(hex.slice(2)))).toBe(false);
});
