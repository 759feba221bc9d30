// Duplicate detection on create (espocrm.md §10): Account by name or any email; Contact and Lead by first + last
// name (NULL matching NULL) or any email. At most 5 records; other entities have no check.
import type { CoreApi, Ctx, EmailEntry, Patch, Rec, Where } from '../../core/types';
import type { Request } from 'express';
import { ESPO_SEMANTICS } from './query';

const RULES = new Set(['account', 'contact', 'lead']);

function addresses(patch: Patch): string[] {
  const list = Array.isArray(patch.emails) ? (patch.emails as EmailEntry[]).map((e) => e.address) : [patch.email];
  return list.filter((a): a is string => typeof a === 'string' && a.trim() !== '').map((a) => a.trim().toLowerCase());
}

function nameTest(field: string, v: unknown): Where {
  return v === null || v === undefined || v === '' ? { field, op: 'isNull' } : { field, op: 'eq', value: v };
}

/** The where that finds duplicates of a new record, or undefined when the entity has no rule or nothing to compare. */
export function duplicateWhere(entity: string, patch: Patch): Where | undefined {
  if (!RULES.has(entity)) return undefined;
  const parts: Where[] = [];
  if (entity === 'account') {
    if (typeof patch.name === 'string' && patch.name.trim()) parts.push({ field: 'name', op: 'eq', value: patch.name.trim() });
  } else if (patch.first_name || patch.last_name) {
    parts.push({ and: [nameTest('first_name', patch.first_name), nameTest('last_name', patch.last_name)] });
  }
  const emails = addresses(patch);
  if (emails.length) parts.push({ field: 'emails', op: 'in', value: emails });
  return parts.length ? { or: parts } : undefined;
}

export async function findDuplicates(core: CoreApi, ctx: Ctx, entity: string, patch: Patch): Promise<Rec[]> {
  const where = duplicateWhere(entity, patch);
  if (!where) return [];
  const r = await core.find(entity, {
    where, limit: 5, names: true, contactPoints: true, semantics: ESPO_SEMANTICS, sort: [{ field: 'created_at', dir: 'desc' }],
  }, ctx);
  return r.records;
}

/** `X-Skip-Duplicate-Check: true` (any case) or the legacy body key `_skipDuplicateCheck`. */
export function skipDuplicateCheck(req: Request, body: Record<string, unknown>): boolean {
  const h = req.headers['x-skip-duplicate-check'];
  if (typeof h === 'string' && h.toLowerCase() === 'true') return true;
  return body._skipDuplicateCheck === true || body._skipDuplicateCheck === 'true';
}
