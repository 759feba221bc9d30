// The ids of link-type where items (linkedWith, notLinkedWith, linkedWithAll, inCategory) must name existing
// records: EspoCRM's Where\Checker::checkLink loads each one and refuses a missing one, which the list API answers
// as 400 `Record 'Team' `id` not found.` (espocrm.md §5.3). The where parser is synchronous and store-free, so it
// only collects the ids; the list checks them against the store before it runs the query.
import type { CoreApi, Ctx, Id, Where } from '../../core/types';
import { BadRequestError } from '../../core/errors';
import { parseEspoId } from './names';

export interface LinkedIds {
  entity: string;          // canonical entity of the records the ids name
  kinds?: string[];        // for an activity type: the kinds it shows
  type: string;            // the Espo entity type, for the message
  ids: string[];
}

/** The ids of one item's value as EspoCRM takes them: one id or a list, every one a string. */
export function linkedIdList(value: unknown): string[] {
  const raw = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  for (const v of raw) if (typeof v !== 'string') throw new BadRequestError('Bad where item. Non-string ID.', 'where');
  return raw as string[];
}

/** Throws the list API's 400 for the first id that names no readable record. */
export async function assertLinkedRecords(core: CoreApi, c: Ctx, checks: LinkedIds[] | undefined): Promise<void> {
  for (const { entity, kinds, type, ids } of checks ?? []) {
    const parsed = ids.map((raw) => [raw, parseEspoId(raw)] as const);
    const valid = [...new Set(parsed.map(([, id]) => id).filter((id): id is Id => id !== undefined))];
    const where: Where = { field: 'id', op: 'in', value: valid };
    const found = valid.length
      ? new Set((await core.find(entity, { where: kinds ? { and: [where, { field: 'kind', op: 'in', value: kinds }] } : where,
        select: ['id'], limit: valid.length }, c)).records.map((r) => r.id))
      : new Set<Id>();
    const missing = parsed.find(([, id]) => id === undefined || !found.has(id));
    if (missing) throw new BadRequestError(`Record '${type}' \`${missing[0]}\` not found.`, 'where');
  }
}
