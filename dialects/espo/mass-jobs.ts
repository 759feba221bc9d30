// Idle mass actions (espocrm.md §9): `POST /MassAction {..., "idle": true}` answers `{"id"}` at once and the action
// runs as a core job after the response; `GET /MassAction/{id}/status` answers `{status, processedCount}`, as
// EspoCRM's MassAction service does, to the user who started it. Gateway choice: an administrator may read any
// (EspoCRM refuses everyone but the starter), since the gateway has no other way for an admin to see a job.
import type { Request, Response } from 'express';
import type { Ctx, JobStatus } from '../../core/types';
import { ForbiddenError, NotFoundError } from '../../core/errors';
import { ctxOf } from '../shared/http';
import type { DialectContext } from '../types';
import { formatEspoId, parseEspoId } from './names';
import { send } from './render';
import { EspoError } from './errors';

const JOB_KIND = 'mass_action';

/** EspoCRM's MassAction statuses. */
const STATUS: Record<JobStatus, string> = { pending: 'Pending', running: 'Running', success: 'Success', failed: 'Failed' };

const LOOSE: ReadonlyMap<unknown, boolean> = new Map<unknown, boolean>([
  [1, true], ['1', true], ['true', true], [0, false], ['0', false], ['false', false], ['', false],
]);

/**
 * `idle`: a JSON boolean, or absent / null (false). The loose forms a PHP server reads the same way (1 / 0, "1" /
 * "0", "true" / "false", "") are taken too; anything else is 400, not guessed: EspoCRM itself fails on a list or an
 * object, and would take "false" or "no" as true.
 */
export function idleFlag(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  const loose = LOOSE.get(v);
  if (loose === undefined) throw new EspoError(400, "Bad 'idle'.");
  return loose;
}

/** Starts the action as a job and answers its id; the action's count becomes the job's processedCount. */
export async function startIdle(ctx: DialectContext, res: Response, c: Ctx, run: () => Promise<{ count: number }>): Promise<void> {
  const job = await ctx.core.startJob(JOB_KIND, async () => {
    try {
      return (await run()).count;
    } catch (e) {
      ctx.fault?.(e, res); // logged with the id of the request that started it; the client sees `Failed`
      throw e;
    }
  }, c);
  send(res, { id: formatEspoId(job.id) });
}

/** `GET /MassAction/{id}/status`: 404 for an unknown id, 403 for another user's job (EspoCRM: empty reasons). */
export async function massActionStatus(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const c = ctxOf(res);
  const id = parseEspoId(String(req.params.id));
  if (id === undefined) throw new EspoError(404);
  const job = await ctx.core.job(id, c).catch((e: unknown) => {
    if (e instanceof NotFoundError) throw new EspoError(404);
    if (e instanceof ForbiddenError) throw new EspoError(403);
    throw e;
  });
  if (job.kind !== JOB_KIND) throw new EspoError(404);
  // processedCount: EspoCRM stores the count when the action succeeds, and reads an unset one as 0.
  send(res, { status: STATUS[job.status], processedCount: job.status === 'success' ? job.processed_count ?? 0 : 0 });
}
