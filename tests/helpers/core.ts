// A fresh store for each test file: in-memory SQLite, or a private PostgreSQL schema when TEST_DATABASE_URL is set.
import crypto from 'node:crypto';
import { Core } from '../../core/core';
import type { Ctx } from '../../core/types';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestCore { core: Core; ctx: Ctx; close(): Promise<void> }

export async function makeCore(): Promise<TestCore> {
  const pg = process.env.TEST_DATABASE_URL;
  let url = ':memory:';
  let schema: string | undefined;
  if (pg) {
    schema = 't_' + crypto.randomBytes(6).toString('hex');
    const { Client } = await import('pg');
    const c = new Client({ connectionString: pg });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.end();
    url = `${pg}${pg.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
  }
  const core = await Core.open({ db: url, adminKey: ADMIN_KEY });
  const ctx = { user: await core.admin() };
  return {
    core, ctx,
    async close() {
      await core.close();
      if (pg && schema) {
        const { Client } = await import('pg');
        const c = new Client({ connectionString: pg });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      }
    },
  };
}
