// The whole gateway app over a fresh store, for supertest.
import { createApp, type GatewayApp } from '../../gateway/app';
import { makeCore, TestCore, ADMIN_KEY } from './core';

export { ADMIN_KEY };

export interface TestApp extends TestCore { app: GatewayApp }

export async function makeApp(opts: { authRequired?: boolean } = {}): Promise<TestApp> {
  const tc = await makeCore();
  const app = await createApp({ core: tc.core, authRequired: opts.authRequired ?? true, bodyLimit: '1mb' });
  return { ...tc, app };
}
