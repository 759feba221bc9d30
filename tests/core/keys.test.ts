// API keys: unknown / disabled / active from one look-up, plain and HMAC keys kept apart, the secret column and its
// migration of an existing database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeCore, TestCore, ADMIN_KEY } from '../helpers/core';
import { Core } from '../../core/core';
import { migrate } from '../../core/store/migrate';
import { hashKey } from '../../core/users';

let t: TestCore;
beforeAll(async () => { t = await makeCore(); });
afterAll(() => t.close());

test('checkKey tells an unknown key, a disabled user and an active one apart', async () => {
  const { user, key } = await t.core.createUser('ann', { key: 'ann-key-0123456789' });
  expect(await t.core.checkKey('no-such-key')).toEqual({ status: 'unknown' });
  expect(await t.core.checkKey(key)).toMatchObject({ status: 'active', user: { id: user.id, user_name: 'ann' }, hmacSecret: null });
  await t.core.update('user', user.id, { is_active: false }, t.ctx);
  expect(await t.core.checkKey(key)).toMatchObject({ status: 'disabled', user: { id: user.id, is_active: false } });
  expect(await t.core.authenticate(key)).toBeNull();
  await t.core.update('user', user.id, { is_active: true }, t.ctx);
  expect((await t.core.authenticate(key))?.id).toBe(user.id);
  await t.core.delete('user', user.id, t.ctx);
  expect(await t.core.checkKey(key)).toEqual({ status: 'unknown' });
});

test('one query per new key, none for a key seen in the last 2 s (disabled users included)', async () => {
  const { user, key } = await t.core.createUser('bob', { key: 'bob-key-0123456789' });
  await t.core.update('user', user.id, { is_active: false }, t.ctx);
  const spy = jest.spyOn(t.core.db, 'all');
  try {
    expect((await t.core.checkKey(key)).status).toBe('disabled');
    expect(spy).toHaveBeenCalledTimes(1);
    expect((await t.core.checkKey(key)).status).toBe('disabled');
    expect(await t.core.authenticate(key)).toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
  } finally {
    spy.mockRestore();
  }
});

test('an HMAC key: a generated 32-hex secret, usable only signed; a plain key only plainly', async () => {
  const { user, key, hmacSecret } = await t.core.createUser('cy', { hmac: true });
  expect(hmacSecret).toMatch(/^[0-9a-f]{32}$/);
  expect(await t.core.checkKey(key, 'hmac')).toMatchObject({ status: 'active', user: { id: user.id }, hmacSecret });
  expect(await t.core.checkKey(key)).toEqual({ status: 'unknown' });
  expect(await t.core.authenticate(key)).toBeNull();
  expect(await t.core.authenticateBasic('cy', key)).toBeNull();
  expect(await t.core.checkKey(ADMIN_KEY, 'hmac')).toEqual({ status: 'unknown' });
  expect((await t.core.checkKey(ADMIN_KEY)).status).toBe('active');
  // The key itself is stored hashed, the secret as it is (the signature check needs it).
  const rows = await t.core.db.all<{ key_hash: string; secret: string | null }>('SELECT key_hash, secret FROM crm_api_key WHERE user_id = ?', [user.id]);
  expect(rows).toEqual([{ key_hash: hashKey(key), secret: hmacSecret }]);
});

test('listUsers says which users have an HMAC key', async () => {
  await t.core.createUser('dee', { hmacSecret: 'dee-secret' });
  await t.core.createUser('eve', {});
  const listed = await t.core.listUsers();
  expect(listed[0]).toMatchObject({ id: 1, user_name: 'admin', is_admin: true, hmac: false });
  expect(listed.find((u) => u.user_name === 'dee')).toMatchObject({ hmac: true, is_active: true });
  expect(listed.find((u) => u.user_name === 'eve')).toMatchObject({ hmac: false });
  expect(listed.map((u) => u.id)).toEqual([...listed.map((u) => u.id)].sort((a, b) => a - b));
});

test('migrate adds the secret column to a key table made before it existed; keys keep working', async () => {
  await t.core.createUser('fay', { key: 'fay-key-0123456789' });
  await t.core.db.run('ALTER TABLE crm_api_key DROP COLUMN secret');
  await migrate(t.core.db, t.core.registry);
  expect((await t.core.authenticate('fay-key-0123456789'))?.user_name).toBe('fay');
  const { key } = await t.core.createUser('gus', { hmacSecret: 'gus-secret' });
  expect(await t.core.checkKey(key, 'hmac')).toMatchObject({ status: 'active', hmacSecret: 'gus-secret' });
});

test('an existing SQLite file without the column is upgraded when opened', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keys-')), 'crm.sqlite');
  let core = await Core.open({ db: file, adminKey: 'file-admin-key' });
  await core.createUser('hal', { key: 'hal-key-0123456789' });
  await core.close();
  const raw = new Database(file);
  raw.exec('ALTER TABLE crm_api_key DROP COLUMN secret');
  expect((raw.prepare('SELECT name FROM pragma_table_info(?)').all('crm_api_key') as { name: string }[]).map((c) => c.name)).not.toContain('secret');
  raw.close();
  core = await Core.open({ db: file });
  try {
    expect((await core.authenticate('hal-key-0123456789'))?.user_name).toBe('hal');
    expect((await core.authenticate('file-admin-key'))?.user_name).toBe('admin');
    const { key, hmacSecret } = await core.createUser('ida', { hmac: true });
    expect(await core.checkKey(key, 'hmac')).toMatchObject({ status: 'active', hmacSecret });
  } finally {
    await core.close();
  }
});
