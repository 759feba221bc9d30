// Mass link (espocrm.md §8): `POST /{E}/{id}/{link} {"massRelate": true, where | searchParams}` relates every
// foreign record the where selects. EspoCRM allows it only on links whose recordDefs say `massLink`: in a stock
// install TargetList's accounts, contacts, leads and users; anywhere else it is 403 `Mass link is not allowed.`
import type { Ctx, Id } from '../../core/types';
import type { DialectContext } from '../types';
import { ESPO_SEMANTICS, parseSearchWhere } from './query';
import type { EspoTarget } from './target';
import { EspoError } from './errors';
import { isWhereList, phpTruthy } from './mass-params';

/** Espo entity type -> the links with `massLink` (EspoCRM's Crm module recordDefs). */
const MASS_LINK: Record<string, readonly string[]> = { TargetList: ['accounts', 'contacts', 'leads', 'users'] };

export const isMassRelate = (body: Record<string, unknown>): boolean => phpTruthy(body.massRelate);

/**
 * The checks EspoCRM makes before it looks at the record, in its order: a `where` that is not a list (400, with
 * EspoCRM's own reason text, typo included), then whether the link allows mass link (403).
 */
export function checkMassLink(target: EspoTarget, linkName: string, body: Record<string, unknown>): void {
  if (body.where !== undefined && body.where !== null && !isWhereList(body.where)) throw new EspoError(400, "Bad 'where.");
  if (!MASS_LINK[target.type]?.includes(linkName)) throw new EspoError(403, 'Mass link is not allowed.');
}

/** The foreign records selected: `where` comes on top of the where items of `searchParams` (alias `selectData`). */
export async function massLinkIds(ctx: DialectContext, c: Ctx, foreign: EspoTarget, body: Record<string, unknown>): Promise<Id[]> {
  const where = parseSearchWhere(ctx.core.registry, foreign.entity, foreign.kind, body.where,
    body.searchParams ?? body.selectData, 'append', { userId: c.user.id });
  const r = await ctx.core.find(foreign.entity, { where, select: ['id'], semantics: ESPO_SEMANTICS }, c);
  return r.records.map((x) => x.id);
}
