// The whole gateway over a fresh store, listening on a free loopback port, for supertest. One server per test file,
// and `agent` (keep-alive) for the request helpers: supertest's default, a server and a connection per request,
// leaves each request's ports in TIME_WAIT, and the fuzz suites make enough requests to run out of ephemeral ports.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../gateway/app';
import { makeCore, TestCore, ADMIN_KEY } from './core';

export { ADMIN_KEY };

export interface TestApp extends TestCore { app: http.Server; agent: http.Agent }

export async function makeApp(opts: { authRequired?: boolean } = {}): Promise<TestApp> {
  const tc = await makeCore();
  const listener = await createApp({ core: tc.core, authRequired: opts.authRequired ?? true, bodyLimit: '1mb' });
  const app = http.createServer(listener);
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  return {
    ...tc, app, agent,
    async close() {
      agent.destroy();
      await new Promise<void>((resolve) => { app.close(() => resolve()); app.closeAllConnections(); });
      await tc.close();
    },
  };
}

/** The base URL of a test server (for fetch and raw sockets). */
export function baseUrl(t: TestApp): string {
  return `http://127.0.0.1:${(t.app.address() as AddressInfo).port}`;
}
