// Background jobs: recorded before the work runs, the work runs after the caller goes on, the outcome (count or
// failure) is stored, only the starter or an administrator reads it, and a finished job survives a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCore, TestCore } from '../helpers/core';
import { Core } from '../../core/core';
import type { Ctx, Id, Job } from '../../core/types';
import { ForbiddenError, NotFoundError } from '../../core/errors';

let t: TestCore;
let sam: Ctx;
beforeAll(async () => {
  t = await makeCore();
  sam = { user: (await t.core.createUser('sam', { key: 'sam-key-jobs-0123' })).user };
});
afterAll(() => t.close());

/** Polls until the job has finished; bounded, so a job that never ends fails the test instead of hanging it. */
async function settled(core: Core, id: Id, ctx: Ctx): Promise<Job> {
  for (let i = 0; i < 200; i++) {
    const job = await core.job(id, ctx);
    if (job.status === 'success' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`job ${id} did not finish`);
}

test('the job is pending when startJob answers; the work runs afterwards and its count is stored', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started = false;
  const job = await t.core.startJob('test', async () => { started = true; await gate; return 7; }, t.ctx);
  try {
    expect(job).toMatchObject({ kind: 'test', user_id: 1, status: 'pending', processed_count: null });
    expect(started).toBe(false);
    for (let i = 0; i < 200 && !started; i++) await new Promise((r) => setTimeout(r, 5));
    expect((await t.core.job(job.id, t.ctx)).status).toBe('running');
  } finally {
    release();
  }
  const done = await settled(t.core, job.id, t.ctx);
  expect(done).toMatchObject({ status: 'success', processed_count: 7, error: null });
  expect(done.finished_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
});

test('a failing job is recorded as failed and does not reach the process', async () => {
  const job = await t.core.startJob('test', async () => { throw new Error('boom'); }, t.ctx);
  const done = await settled(t.core, job.id, t.ctx);
  expect(done).toMatchObject({ status: 'failed', processed_count: null, error: 'Error: boom' });
});

test('job ids come from the shared sequence: no record has one', async () => {
  const job = await t.core.startJob('test', async () => 0, t.ctx);
  expect(await t.core.entityOf(job.id)).toBeNull();
  const next = await t.core.create('account', { name: 'After job' }, t.ctx);
  expect(next.id).toBeGreaterThan(job.id);
  await settled(t.core, job.id, t.ctx);
});

test('only the user who started a job, or an administrator, may read it; an unknown id is not found', async () => {
  const mine = await t.core.startJob('test', async () => 1, sam);
  expect((await settled(t.core, mine.id, sam)).user_id).toBe(sam.user.id);
  expect((await t.core.job(mine.id, t.ctx)).status).toBe('success');
  const admins = await t.core.startJob('test', async () => 1, t.ctx);
  await expect(t.core.job(admins.id, sam)).rejects.toBeInstanceOf(ForbiddenError);
  await expect(t.core.job(987654321, t.ctx)).rejects.toBeInstanceOf(NotFoundError);
  await settled(t.core, admins.id, t.ctx);
});

test('a finished job is still there after a restart; close waits for a job under way', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-jobs-'));
  const file = path.join(dir, 'crm.sqlite');
  try {
    let core = await Core.open({ db: file, adminKey: 'restart-key-0123456789' });
    const ctx = { user: await core.admin() };
    const job = await core.startJob('test', async () => { await new Promise((r) => setTimeout(r, 20)); return 3; }, ctx);
    await core.close();
    core = await Core.open({ db: file, adminKey: 'restart-key-0123456789' });
    expect(await core.job(job.id, ctx)).toMatchObject({ status: 'success', processed_count: 3 });
    await core.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
