// The gateway process: health, request ids, --listen, demo data, graceful shutdown on SIGTERM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { serve } from '../../gateway/server';
import { DEFAULTS } from '../../gateway/config';

const silent = pino({ level: 'silent' });

test('serves health with a request id, seeds a new database, and --listen serves a dialect at the root', async () => {
  const running = await serve({ ...DEFAULTS, db: ':memory:', port: 0, apiKey: 'k-123', listen: { espo: 0 } }, silent);
  try {
    const [main, espoOnly] = running.servers;
    const h = await request(main).get('/_gateway/health');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', database: 'sqlite' });
    expect(h.headers['x-request-id']).toMatch(/\S+/);
    const again = await request(main).get('/_gateway/health').set('X-Request-Id', 'abc-1');
    expect(again.headers['x-request-id']).toBe('abc-1');
    expect(await running.core.count('contact', undefined, { user: await running.core.admin() })).toBeGreaterThanOrEqual(200);
    const viaRoot = await request(espoOnly).get('/Account?maxSize=1').set('X-Api-Key', 'k-123');
    expect(viaRoot.status).toBe(200);
    expect(viaRoot.body.total).toBeGreaterThanOrEqual(50);
    // HMAC signs the path below the dialect's root, which is / here: the same signature as under /api/v1.
    await running.core.createUser('signer', { key: 'ab12cd34ef56', hmacSecret: 'topsecret' });
    const signed = { 'X-Hmac-Authorization': Buffer.from('ab12cd34ef56:ab58bcd0f7a0da99e7f7ac2fc91efa765c27e9d5c94c94015abfb22d255bcbe5').toString('base64') };
    expect((await request(espoOnly).get('/Lead?maxSize=5').set(signed)).status).toBe(200);
    expect((await request(main).get('/api/v1/Lead?maxSize=5').set(signed)).status).toBe(200);
    const unknown = await request(main).get('/nothing/here');
    expect(unknown.status).toBe(404);
  } finally {
    await running.stop();
  }
});

test('SIGTERM finishes, closes the database and exits 0', async () => {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'gateway/cli.ts', 'serve',
    '--port', '0', '--db', ':memory:', '--seed', 'none', '--api-key', 'k'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no start: ' + out)), 20000);
    const check = () => {
      const m = out.match(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
      if (m) { clearTimeout(timer); resolve(m[1]); } else setTimeout(check, 50);
    };
    check();
  });
  const r = await fetch(url + '/_gateway/health');
  expect(r.status).toBe(200);
  const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
  expect(code).toBe(0);
  expect(out).toContain('"msg":"stopped"');
}, 30000);

test('crm-gateway users add prints a key that authenticates (--hmac: and a secret); users list shows the users', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const { Core } = await import('../../core/core');
  const root = path.resolve(__dirname, '../..');
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'crm.sqlite');
  const run = (args: string[]) => new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'gateway/cli.ts', ...args], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => resolve({ code, out }));
  });
  const added = await run(['users', 'add', 'sam', '--admin', '--db', db]);
  expect(added.code).toBe(0);
  const key = added.out.match(/api key: (\S+)/)?.[1];
  expect(key).toMatch(/^[0-9a-f]{48}$/);
  expect(added.out).not.toMatch(/hmac secret/);
  const signer = await run(['users', 'add', 'bot', '--hmac', '--db', db]);
  expect(signer.code).toBe(0);
  const botKey = signer.out.match(/api key: (\S+)/)?.[1];
  const secret = signer.out.match(/hmac secret: (\S+)/)?.[1];
  expect(secret).toMatch(/^[0-9a-f]{32}$/);
  const listed = await run(['users', 'list', '--db', db]);
  expect(listed.out).toMatch(/^1\tadmin\tadmin$/m);
  expect(listed.out).toMatch(/^\d+\tsam\tadmin$/m);
  expect(listed.out).toMatch(/^\d+\tbot\thmac$/m);
  expect((await run(['users', 'add', 'sam', '--db', db])).code).not.toBe(0);
  const core = await Core.open({ db });
  try {
    expect((await core.authenticate(key!))?.user_name).toBe('sam');
    expect(await core.checkKey(botKey!, 'hmac')).toMatchObject({ status: 'active', user: { user_name: 'bot' }, hmacSecret: secret });
  } finally {
    await core.close();
  }
}, 60000);
