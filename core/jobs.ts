// Background jobs (EspoCRM's idle mass actions): a row per job in the job table says who started it, where it
// stands and what it did. The row, not process memory, is what a polling client reads, so any gateway process on
// the same database answers, and a finished result survives a restart. The work itself is a closure run by the
// process that accepted the job.
import type { Db } from './store/db';
import type { Ctx, Id, Job, JobStatus } from './types';
import { JOB_TABLE } from './store/tables';
import { nowStamp } from './store/rows';
import { reserveIds } from './store/migrate';

/** Jobs older than this are deleted when a new one starts (EspoCRM's clean-up period for mass actions). */
const KEEP_MS = 14 * 24 * 3600 * 1000;

function toJob(row: Record<string, unknown>): Job {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(row.id), kind: String(row.kind), user_id: Number(row.user_id), status: String(row.status) as JobStatus,
    processed_count: row.processed_count === null || row.processed_count === undefined ? null : Number(row.processed_count),
    error: text(row.error), created_at: String(row.created_at), started_at: text(row.started_at), finished_at: text(row.finished_at),
  };
}

/** A new pending job of the acting user; its id comes from the shared sequence, so it never names a record. */
export function createJob(db: Db, kind: string, ctx: Ctx): Promise<Job> {
  return db.transaction(async () => {
    const [id] = await reserveIds(db, 1);
    const now = nowStamp();
    await db.run(`DELETE FROM ${JOB_TABLE} WHERE created_at < ?`, [nowStamp(new Date(Date.now() - KEEP_MS))]);
    await db.run(`INSERT INTO ${JOB_TABLE} (id, kind, user_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)`,
      [id, kind, ctx.user.id, now]);
    return { id, kind, user_id: ctx.user.id, status: 'pending', processed_count: null, error: null, created_at: now,
      started_at: null, finished_at: null };
  });
}

export async function findJob(db: Db, id: Id): Promise<Job | null> {
  if (!Number.isSafeInteger(id)) return null;
  const rows = await db.all<Record<string, unknown>>(`SELECT * FROM ${JOB_TABLE} WHERE id = ?`, [id]);
  return rows[0] ? toJob(rows[0]) : null;
}

type Progress = Partial<Pick<Job, 'status' | 'processed_count' | 'error' | 'started_at' | 'finished_at'>>;

// In a transaction: on SQLite that queues the write behind any transaction under way on the one connection.
function mark(db: Db, id: Id, p: Progress): Promise<number> {
  const keys = Object.keys(p) as (keyof Progress)[];
  return db.transaction(() => db.run(`UPDATE ${JOB_TABLE} SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`,
    [...keys.map((k) => p[k]), id]));
}

/**
 * Runs a job's work and stores its outcome. Never rejects: a failure is the job's result, not the process's; if
 * even recording it fails (the database went away), there is nobody left to tell.
 */
export async function runJob(db: Db, id: Id, work: () => Promise<number>): Promise<void> {
  try {
    await mark(db, id, { status: 'running', started_at: nowStamp() });
    const count = await work();
    await mark(db, id, { status: 'success', processed_count: count, finished_at: nowStamp() });
  } catch (e) {
    const error = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 1000);
    await mark(db, id, { status: 'failed', error, finished_at: nowStamp() }).catch(() => undefined);
  }
}
