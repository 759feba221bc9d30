// Starts the gateway: opens the store, loads demo data into a new database, listens, and shuts down cleanly.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pino, { Logger } from 'pino';
import { Core } from '../core/core';
import { seed } from '../core/seed';
import { createApp } from './app';
import type { Config } from './config';

export interface Running { core: Core; servers: http.Server[]; stop(): Promise<void> }

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

export async function serve(cfg: Config, logger: Logger = pino({ level: cfg.logLevel })): Promise<Running> {
  if (!/^postgres/.test(cfg.db) && cfg.db !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(cfg.db)), { recursive: true });
  const core = await Core.open({ db: cfg.db, adminKey: cfg.apiKey });
  if (cfg.seed !== 'none' && (await core.isEmpty())) {
    const n = await seed(core, cfg.seed);
    logger.info({ records: n, seed: cfg.seed }, 'loaded seed data into the new database');
  }
  if (!cfg.auth) logger.warn('authentication is OFF (--no-auth): every request acts as the administrator. Local mock use only.');
  const servers: http.Server[] = [];
  const main = http.createServer(await createApp({ core, authRequired: cfg.auth, bodyLimit: cfg.bodyLimit, logger }));
  servers.push(main);
  const mainPort = await listen(main, cfg.port, cfg.host);
  logger.info({ url: `http://${cfg.host}:${mainPort}`, database: core.dbKind }, 'crm-gateway listening');
  for (const [dialect, port] of Object.entries(cfg.listen)) {
    const s = http.createServer(await createApp({ core, authRequired: cfg.auth, bodyLimit: cfg.bodyLimit, logger, only: dialect }));
    servers.push(s);
    const p = await listen(s, port, cfg.host);
    logger.info({ dialect, url: `http://${cfg.host}:${p}` }, 'dialect listening at the root of its own port');
  }
  if (cfg.auth) logger.info({ user: 'admin', apiKey: core.adminKey }, 'administrator API key');

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    // Stop accepting, let in-flight requests finish, then close the database.
    await Promise.all(servers.map((s) => new Promise<void>((r) => { s.close(() => r()); s.closeIdleConnections(); })));
    await core.close();
  })());
  return { core, servers, stop };
}

/** SIGTERM / SIGINT: finish what is in flight, close the database, exit; a second signal or 10 s forces it. */
export function stopOnSignals(running: Running, logger: Logger): void {
  let signalled = false;
  const onSignal = (sig: string) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info({ signal: sig }, 'shutting down');
    const force = setTimeout(() => { logger.error('shutdown took over 10 s; forcing'); process.exit(1); }, 10_000);
    force.unref();
    running.stop().then(() => { logger.info('stopped'); process.exit(0); }, (e) => { logger.error({ err: e }, 'shutdown failed'); process.exit(1); });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}
