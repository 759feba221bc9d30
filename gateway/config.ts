// The runtime configuration: flags win over environment variables, which win over the --config file, then defaults.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

export interface Config {
  host: string;
  port: number;
  db: string;
  seed: string;              // demo | none | <dir>
  apiKey?: string;
  auth: boolean;
  listen: Record<string, number>;  // dialect -> extra port serving it at the root
  logLevel: string;
  bodyLimit: string;
}

export const DEFAULTS: Config = {
  host: '127.0.0.1', port: 8080, db: './data/crm.sqlite', seed: 'demo', auth: true, listen: {}, logLevel: 'info', bodyLimit: '1mb',
};

export const SERVE_OPTIONS = {
  port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, seed: { type: 'string' },
  'api-key': { type: 'string' }, 'no-auth': { type: 'boolean' }, listen: { type: 'string', multiple: true },
  config: { type: 'string' }, 'log-level': { type: 'string' }, 'body-limit': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

export class ConfigError extends Error {}

function port(v: unknown, what: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${what}: '${String(v)}' is not a port number`);
  return n;
}

function parseListen(items: string[] | Record<string, unknown>, known: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const pairs = Array.isArray(items) ? items.map((s) => s.split('=')) : Object.entries(items).map(([k, v]) => [k, String(v)]);
  for (const [name, p] of pairs) {
    if (!name || p === undefined) throw new ConfigError(`--listen takes <dialect>=<port>, got '${pairs.join('=')}'`);
    if (!known.includes(name)) throw new ConfigError(`--listen: unknown dialect '${name}' (known: ${known.join(', ')})`);
    out[name] = port(p, `--listen ${name}`);
  }
  return out;
}

export function resolveConfig(argv: string[], env: NodeJS.ProcessEnv, dialects: string[]): Config & { help?: boolean } {
  const { values } = parseArgs({ args: argv, options: SERVE_OPTIONS, strict: true, allowPositionals: false });
  let file: Partial<Config> & { listen?: Record<string, unknown> } = {};
  if (values.config) {
    try {
      file = JSON.parse(fs.readFileSync(values.config, 'utf8'));
    } catch (e) {
      throw new ConfigError(`--config ${values.config}: ${(e as Error).message}`);
    }
  }
  const pick = <T>(flag: T | undefined, envName: string | undefined, fromFile: T | undefined, dflt: T): T =>
    flag ?? ((envName !== undefined && env[envName] !== undefined && env[envName] !== '' ? env[envName] : undefined) as T | undefined) ?? fromFile ?? dflt;
  const cfg: Config = {
    host: pick(values.host, 'HOST', file.host, DEFAULTS.host),
    port: port(pick<string | number>(values.port, 'PORT', file.port, DEFAULTS.port), 'port'),
    db: pick(values.db, 'DATABASE_URL', file.db, DEFAULTS.db),
    seed: pick(values.seed, 'CRM_SEED', file.seed, DEFAULTS.seed),
    apiKey: pick<string | undefined>(values['api-key'], 'CRM_API_KEY', file.apiKey, undefined),
    auth: values['no-auth'] ? false : file.auth ?? DEFAULTS.auth,
    listen: values.listen ? parseListen(values.listen, dialects) : file.listen ? parseListen(file.listen, dialects) : {},
    logLevel: pick(values['log-level'], 'LOG_LEVEL', file.logLevel, DEFAULTS.logLevel),
    bodyLimit: pick(values['body-limit'], 'BODY_LIMIT', file.bodyLimit, DEFAULTS.bodyLimit),
  };
  return { ...cfg, help: values.help };
}
