// Which records a mass action names (espocrm.md §9): the `params` of `POST /MassAction` (EspoCRM's mass-action
// Params) or the legacy body `{ids}` / `{byWhere, where, selectData}`, with EspoCRM's 400 for each malformed form.
import type { Ctx, Id, MassTarget, Where } from '../../core/types';
import type { DialectContext } from '../types';
import { parseEspoId } from './names';
import { ESPO_SEMANTICS, parseSearchWhere } from './query';
import type { EspoTarget } from './target';
import { EspoError } from './errors';

export interface MassSelection {
  target: MassTarget;
  /** By ids: the answer lists the affected ids (`{count, ids}`); by where it is `{count}`. */
  byIds: boolean;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNull = (v: unknown): v is null | undefined => v === undefined || v === null;

/** PHP's `!empty()`: how EspoCRM reads flags such as `byWhere` and `massRelate`. */
export function phpTruthy(v: unknown): boolean {
  return !(isNull(v) || v === false || v === 0 || v === '' || v === '0' || (Array.isArray(v) && v.length === 0));
}

/**
 * A where list as EspoCRM takes it: a JSON array, or an object of numeric keys (PHP decodes both to a list).
 * Any other object would read as no condition at all, i.e. every record: it is refused.
 */
export function isWhereList(v: unknown): boolean {
  return Array.isArray(v) || (isObject(v) && Object.keys(v).every((k) => /^\d+$/.test(k)));
}

/** By ids; for Task / Call / Meeting only records of that type. A non-hex id names no record. */
function byIds(target: EspoTarget, ids: unknown[]): MassTarget {
  const list = ids.map(parseEspoId).filter((x): x is Id => x !== undefined);
  if (!target.kinds) return { ids: list };
  const byKind: Where = { and: [{ field: 'id', op: 'in', value: list }, { field: 'kind', op: 'in', value: target.kinds }] };
  return { where: list.length ? byKind : { or: [] } };
}

function idList(ids: unknown): unknown[] {
  if (!Array.isArray(ids)) throw new EspoError(400, "Bad 'ids'.");
  return ids;
}

/** By `where` and/or `searchParams`; `where` takes the place of the search params' own where items. */
function byWhere(ctx: DialectContext, c: Ctx, target: EspoTarget, where: unknown, searchParams: unknown): MassTarget {
  if (!isNull(where) && !isWhereList(where)) throw new EspoError(400, "Bad 'where'.");
  if (!isNull(searchParams) && !isObject(searchParams) && typeof searchParams !== 'string') {
    throw new EspoError(400, "Bad 'searchParams'.");
  }
  const w = parseSearchWhere(ctx.core.registry, target.entity, target.kind, where, searchParams, 'replace', { userId: c.user.id });
  return { where: w, semantics: ESPO_SEMANTICS };
}

/** `params` of `POST /MassAction`: `where` or `searchParams` (legacy name `selectData`) win over `ids`. */
export function massActionSelection(ctx: DialectContext, c: Ctx, target: EspoTarget, params: Record<string, unknown>): MassSelection {
  const searchParams = params.searchParams ?? params.selectData;
  if (isNull(params.where) && isNull(searchParams)) {
    if (isNull(params.ids)) throw new EspoError(400, 'Bad search params for mass action.');
    return { target: byIds(target, idList(params.ids)), byIds: true };
  }
  return { target: byWhere(ctx, c, target, params.where, searchParams), byIds: false };
}

/** The legacy body (EspoCRM <= 6.1): `{byWhere: true, where, selectData}`, else `{ids}`. */
export function legacySelection(ctx: DialectContext, c: Ctx, target: EspoTarget, body: Record<string, unknown>): MassSelection {
  if (phpTruthy(body.byWhere) && !isNull(body.where)) {
    return { target: byWhere(ctx, c, target, body.where, body.selectData), byIds: false };
  }
  if (isNull(body.ids)) throw new EspoError(400, 'Bad mass action params.');
  return { target: byIds(target, idList(body.ids)), byIds: true };
}
