// Writes (react-admin.md §3.4-§3.6, §5): create 201, PUT = partial update answering the full record, DELETE =
// archive (core soft delete) answering the record as it was, restore on every resource, merge_contacts.
import type { Request, RequestHandler, Response } from 'express';
import type { RouteTable } from '../shared/route-table';
import type { Id } from '../../core/types';
import type { DialectContext } from '../types';
import { ctxOf, sendJson, withBody } from '../shared/http';
import { findOne, loadOne, parseId, resourceOf } from './access';
import { readBody } from './input';
import { resolveResource, type Resource } from './names';
import { notFound, renderRecord, WireError } from './render';

function readOnly(resource: Resource, what: 'create' | 'update' | 'delete' | 'restore'): void {
  if (!resource.readOnly) return;
  const text = { create: 'Cannot create on this resource', update: 'Cannot update this resource', delete: 'Cannot delete on this resource', restore: 'Cannot restore on this resource' }[what];
  throw new WireError(400, text, 'INVALID_RESOURCE');
}

/** `loserId` / `winnerId` (camelCase; snake_case accepted): positive integers. */
function mergeIds(body: unknown): { loser: Id; winner: Id } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const id = (v: unknown) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  };
  const loser = id(b.loserId ?? b.loser_id);
  const winner = id(b.winnerId ?? b.winner_id);
  if (loser === undefined || winner === undefined) throw new WireError(400, 'loserId and winnerId required', 'VALIDATION_FAILED');
  if (loser === winner) throw new WireError(400, 'loserId and winnerId must differ', 'VALIDATION_FAILED');
  return { loser, winner };
}

export function writeRoutes(table: RouteTable, ctx: DialectContext, body: RequestHandler): void {
  const { core } = ctx;

  // Registered before /:resource, so it is never a create (as upstream).
  table.add('POST', '/merge_contacts', withBody(body, async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const { loser, winner } = mergeIds(req.body);
    const contacts = resolveResource(core.registry, 'contacts')!;
    for (const id of [winner, loser]) {
      if (!(await findOne(core, c, contacts, id))) throw new WireError(404, 'Contact not found', 'NOT_FOUND');
    }
    // One core transaction: notes, tasks, deals, tags, emails and phones move to the winner; the loser is removed.
    await core.merge('contact', winner, [loser], c);
    sendJson(res, 200, { id: winner });
  }));

  table.add('POST', '/:resource', withBody(body, async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const resource = await resourceOf(core, String(req.params.resource), res);
    readOnly(resource, 'create');
    const input = readBody(resource, req.body);
    const created = await core.atomically(async () => {
      const rec = await core.create(resource.entity, input.patch, c);
      if (input.archive) await core.delete(resource.entity, rec.id, c);
      return rec;
    });
    const rec = await loadOne(core, c, resource, created.id, true);
    sendJson(res, 201, renderRecord(resource, rec));
  }));

  table.add('PUT', '/:resource/:id', withBody(body, async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const resource = await resourceOf(core, String(req.params.resource), res);
    readOnly(resource, 'update');
    const id = parseId(req.params.id);
    const archivable = resource.byName.has('archived_at');
    const before = await findOne(core, c, resource, id, archivable);
    if (!before) { readBody(resource, req.body, undefined); throw notFound(); } // a bad body still answers 400 first
    const input = readBody(resource, req.body, before);
    if (before.deleted_at && input.archive !== false) throw notFound();
    // Restore, change and archive are one transaction: a refused change leaves an archived deal archived.
    await core.atomically(async () => {
      if (before.deleted_at) await core.restore(resource.entity, id, c);
      if (Object.keys(input.patch).length) await core.update(resource.entity, id, input.patch, c);
      if (input.archive && !before.deleted_at) await core.delete(resource.entity, id, c);
    });
    const rec = await loadOne(core, c, resource, id, true);
    sendJson(res, 200, renderRecord(resource, rec));
  }));

  table.add('DELETE', '/:resource/:id', async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const resource = await resourceOf(core, String(req.params.resource), res);
    readOnly(resource, 'delete');
    const id = parseId(req.params.id);
    const before = await loadOne(core, c, resource, id);
    const out = renderRecord(resource, before);
    await core.delete(resource.entity, id, c);
    sendJson(res, 200, out);
  });

  table.add('POST', '/:resource/:id/restore', async (req: Request, res: Response) => {
    const c = ctxOf(res);
    const resource = await resourceOf(core, String(req.params.resource), res);
    readOnly(resource, 'restore');
    const id = parseId(req.params.id);
    const rec = await loadOne(core, c, resource, id, true);
    if (rec.deleted_at) await core.restore(resource.entity, id, c);
    sendJson(res, 200, renderRecord(resource, await loadOne(core, c, resource, id)));
  });
}
