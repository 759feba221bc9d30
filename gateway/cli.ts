#!/usr/bin/env node
// crm-gateway: `serve` (the server) and `users` (users and API keys).
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Core } from '../core/core';
import { isCoreError } from '../core/errors';
import { DIALECTS } from './dialects';
import { ConfigError, DEFAULTS, resolveConfig } from './config';
import { serve, stopOnSignals } from './server';

const HELP = `crm-gateway: one CRM record store behind the EspoCRM, react-admin, Spotler, Vtiger and Corteza APIs

Usage:
  crm-gateway serve [options]
  crm-gateway users add <user_name> [--admin] [--hmac] [--key <key>] [--db <url>]
                             create a user and print its API key (--key: this key instead of a new one;
                             with --hmac also a secret key: the
                             user then signs EspoCRM requests with X-Hmac-Authorization, the key alone is refused)
  crm-gateway users list [--db <url>]   id, user name, admin / inactive / hmac

serve options (environment variable in brackets):
  --port <n>                 main port (PORT), default ${DEFAULTS.port}
  --host <addr>              bind address (HOST), default ${DEFAULTS.host}
  --db <path|:memory:|postgres://...>   store (DATABASE_URL), default ${DEFAULTS.db}
  --seed demo|none|<dir>     data loaded into a NEW database (CRM_SEED), default demo
  --api-key <key>            the admin's API key (CRM_API_KEY); else generated once and stored
  --no-auth                  accept every request as admin (local mock use only)
  --listen <dialect>=<port>  also serve one dialect at the root of its own port (repeatable)
  --config <file.json>       options as JSON: {"port", "host", "db", "seed", "apiKey", "auth", "listen": {"espo": 9001}, "logLevel", "bodyLimit"}
  --log-level <level>        trace|debug|info|warn|error (LOG_LEVEL), default info
  --body-limit <size>        max JSON body (BODY_LIMIT), default 1mb
Dialects: ${DIALECTS.map((d) => `${d.name} (${d.basePaths.join(', ')})`).join('; ')}
`;

async function users(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { admin: { type: 'boolean' }, hmac: { type: 'boolean' }, db: { type: 'string' }, key: { type: 'string' } },
  });
  const core = await Core.open({ db: values.db ?? process.env.DATABASE_URL ?? DEFAULTS.db });
  try {
    const [verb, name] = positionals;
    if (verb === 'add' && name) {
      const { user, key, hmacSecret } = await core.createUser(name, { admin: values.admin, key: values.key, hmac: values.hmac });
      process.stdout.write(`user ${user.user_name} (id ${user.id})${user.is_admin ? ' admin' : ''}\napi key: ${key}\n`);
      if (hmacSecret) process.stdout.write(`hmac secret: ${hmacSecret}\n`);
    } else if (verb === 'list') {
      for (const u of await core.listUsers()) {
        const flags = [u.is_admin && 'admin', !u.is_active && 'inactive', u.hmac && 'hmac'].filter(Boolean);
        process.stdout.write([u.id, u.user_name, ...flags].join('\t') + '\n');
      }
    } else {
      process.stderr.write(HELP);
      process.exitCode = 2;
    }
  } finally {
    await core.close();
  }
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'users') return users(rest);
  if (cmd !== 'serve') {
    process.stdout.write(HELP);
    if (cmd && cmd !== 'help' && cmd !== '--help' && cmd !== '-h') process.exitCode = 2;
    return;
  }
  const cfg = resolveConfig(rest, process.env, DIALECTS.map((d) => d.name));
  if (cfg.help) { process.stdout.write(HELP); return; }
  const logger = pino({ level: cfg.logLevel });
  const running = await serve(cfg, logger);
  stopOnSignals(running, logger);
}

main().catch((e) => {
  const known = e instanceof ConfigError || isCoreError(e) || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`crm-gateway: ${known ? (e as Error).message : (e as Error).stack ?? String(e)}\n`);
  process.exit(2);
});
