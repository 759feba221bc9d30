// Flags win over environment variables, which win over the --config file, then the defaults.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, DEFAULTS, resolveConfig } from '../../gateway/config';

const DIALECTS = ['espo', 'react-admin'];

test('defaults are the runtime contract', () => {
  const c = resolveConfig([], {}, DIALECTS);
  expect([c.host, c.port, c.db, c.seed, c.auth]).toEqual(['127.0.0.1', 8080, './data/crm.sqlite', 'demo', true]);
  expect(c).toMatchObject({ ...DEFAULTS, help: undefined });
});

test('flags beat env, env beats the config file', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'c.json');
  fs.writeFileSync(file, JSON.stringify({ port: 7000, host: '0.0.0.0', db: 'file.sqlite', apiKey: 'from-file', listen: { espo: 9001 } }));
  const env = { PORT: '7100', DATABASE_URL: ':memory:', CRM_API_KEY: 'from-env' };
  const c = resolveConfig(['--config', file, '--port', '7200', '--no-auth'], env, DIALECTS);
  expect(c.port).toBe(7200);
  expect(c.db).toBe(':memory:');
  expect(c.apiKey).toBe('from-env');
  expect(c.host).toBe('0.0.0.0');
  expect(c.auth).toBe(false);
  expect(c.listen).toEqual({ espo: 9001 });
  expect(resolveConfig(['--listen', 'espo=9100', '--listen', 'react-admin=9101'], {}, DIALECTS).listen).toEqual({ espo: 9100, 'react-admin': 9101 });
});

test.each([
  [['--port', 'eighty']],
  [['--port', '70000']],
  [['--listen', 'nope=9000']],
  [['--listen', 'espo']],
  [['--config', '/no/such/file.json']],
])('refuses %j with a message', (argv) => {
  expect(() => resolveConfig(argv as string[], {}, DIALECTS)).toThrow(ConfigError);
});

test('unknown flags are refused', () => {
  expect(() => resolveConfig(['--colour'], {}, DIALECTS)).toThrow(/Unknown option/);
});
