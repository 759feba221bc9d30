// The list language (react-admin.md §3.2, §5.2) -> one core Query. Pure: no I/O, unit-tested alone.
//   range=[s,e] (inclusive; absent or invalid -> [0,24], never a 400; absent with filter.id=[..] -> no limit)
//   filter={...}  q full text, id / any field: value = eq, array = IN, null = IS NULL, `_gte _lte _gt _lt _neq`
//                 suffixes, include_archived: true
//   filters=[{field, op, value, logicalOp}]  left fold: each element's logicalOp joins it to all before it
//   sorts=[{field, order}] | sort=["f","DESC"] | sort=f&order=DESC; unknown fields ignored; id is the tie-breaker
// ra-data-json-server's flat form (`_start`, `_end`, `_sort`, `_order`, `field=value`, `q=`) is read as well.
// Malformed JSON in filter / filters / sort / sorts is a 400 (a silently unfiltered list would be worse).
import type { Query, Semantics, SortKey, Where } from '../../core/types';
import { BadRequestError } from '../../core/errors';
import type { FilterOp, WireField } from './fields';
import { fieldOf, type Resource, snakeKey } from './names';
import { countsOf } from './summaries';

/** mapping.md C7: `neq` / `not_contains` do not match NULL; `=` is case-sensitive; contains is ILIKE. */
export const SEMANTICS: Semantics = { negationMatchesNull: false, caseInsensitiveEquals: false };

export const DEFAULT_RANGE: [number, number] = [0, 24];

export interface ListPlan {
  query: Query;
  /** The first row's position, for Content-Range. */
  start: number;
}

export interface ListOptions {
  /** Extra alternatives for q (contacts_summary: contacts of companies whose name matches, resolved by the caller). */
  searchAlso?: Where;
}

type Params = Record<string, unknown>;

const FILTER_OPS: Record<string, FilterOp> = {
  eq: 'eq', neq: 'ne', ne: 'ne', gt: 'gt', lt: 'lt', gte: 'gte', lte: 'lte',
  contains: 'contains', like: 'contains', not_contains: 'notContains', nlike: 'notContains',
  starts_with: 'startsWith', is_empty: 'isNull', blank: 'isNull', is_not_empty: 'isNotNull', notblank: 'isNotNull',
};

const SUFFIX_OPS: [string, FilterOp][] = [['_gte', 'gte'], ['_lte', 'lte'], ['_gt', 'gt'], ['_lt', 'lt'], ['_neq', 'ne'],
  ['_ne', 'ne'], ['_like', 'contains']];

/** Parameters that are never a json-server style field filter. */
const LIST_PARAMS = new Set(['range', 'filter', 'filters', 'sort', 'order', 'sorts', 'embed', 'q', '_start', '_end',
  '_sort', '_order', '_embed', '_page', '_limit']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON query parameter: undefined if absent; a 400 naming the parameter if it is not JSON. */
export function jsonParam(name: string, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') {
    if (isObject(raw) && name === 'filter') return raw; // qs bracket form: filter[q]=x
    throw new BadRequestError(`Invalid ${name}: expected one JSON value.`, name);
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    // The parser's own wording differs between Node versions: keep only the position.
    const at = /position (\d+)/.exec((e as Error).message);
    const position = at ? Number(at[1]) : undefined;
    throw new BadRequestError(`Invalid ${name}: malformed JSON${position === undefined ? '' : ` at position ${position}`}.`, name, position);
  }
}

/** `[s, e]` inclusive, 0 <= s <= e; anything else is undefined (the caller falls back, as upstream). */
export function parseRange(raw: unknown): [number, number] | undefined {
  if (typeof raw !== 'string') return undefined;
  let v: unknown;
  try { v = JSON.parse(raw); } catch { return undefined; }
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [s, e] = v;
  if (!Number.isSafeInteger(s) || !Number.isSafeInteger(e) || s < 0 || s > e) return undefined;
  return [s, e];
}

function jsonServerRange(params: Params): [number, number] | undefined {
  const n = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
  const start = n(params._start);
  const end = n(params._end);
  if (start === undefined || end === undefined || end <= start) return undefined;
  return [start, end - 1];
}

function and(parts: (Where | undefined)[]): Where {
  const list = parts.filter((p): p is Where => !!p);
  return list.length === 1 ? list[0] : { and: list };
}

/** The q condition: an OR of contains over the resource's searchable fields. */
export function searchWhere(res: Resource, text: string, also?: Where): Where {
  const parts = res.fields.filter((f) => f.search).map((f) => f.search!(text));
  return { or: also ? [...parts, also] : parts };
}

/** `field_gte` -> (field, gte) when `field` is a filterable field and the whole key is not. */
function suffixed(res: Resource, key: string): [WireField, FilterOp] | undefined {
  for (const [suffix, op] of SUFFIX_OPS) {
    const k = snakeKey(key);
    if (!k.endsWith(suffix)) continue;
    const f = fieldOf(res, k.slice(0, -suffix.length));
    if (f?.where) return [f, op];
  }
  return undefined;
}

interface FilterState { conds: Where[]; includeArchived: boolean; touchesDeleted: boolean; idList: boolean; q?: string }

function keyCondition(res: Resource, key: string, value: unknown, st: FilterState): void {
  if (key === 'q') {
    if ((typeof value === 'string' || typeof value === 'number') && String(value).trim() !== '') st.q = String(value).trim();
    if (st.q?.includes('\u0000')) throw new BadRequestError('Invalid filter: NUL characters are not allowed in q.', 'filter');
    return;
  }
  if (key === 'include_archived' || key === 'includeArchived') { st.includeArchived = value === true || value === 'true'; return; }
  const direct = fieldOf(res, key);
  const [f, op]: [WireField | undefined, FilterOp] = direct?.where ? [direct, 'eq'] : suffixed(res, key) ?? [undefined, 'eq'];
  if (!f?.where) return; // unknown keys are ignored (§5)
  if (f.name === 'id' && Array.isArray(value)) st.idList = true;
  if (f.canonical === 'deleted_at') st.touchesDeleted = true;
  st.conds.push(f.where(op, value));
}

/** `filter` (the legacy object) and json-server's flat `field=value` parameters. */
export function parseFilter(res: Resource, params: Params): FilterState {
  const st: FilterState = { conds: [], includeArchived: false, touchesDeleted: false, idList: false };
  const filter = jsonParam('filter', params.filter);
  if (filter !== undefined && filter !== null && !isObject(filter)) throw new BadRequestError('Invalid filter: expected a JSON object.', 'filter');
  if (typeof params.q === 'string') keyCondition(res, 'q', params.q, st);
  for (const [key, value] of Object.entries(params)) {
    if (LIST_PARAMS.has(key)) continue;
    keyCondition(res, key, value, st);
  }
  for (const [key, value] of Object.entries(filter ?? {})) keyCondition(res, key, value, st);
  return st;
}

/** `filters`: build each element, skip the invalid ones, left-fold with logicalOp. */
export function parseFilters(res: Resource, raw: unknown): { where?: Where; touchesDeleted: boolean } {
  const list = jsonParam('filters', raw);
  if (list === undefined || list === null) return { touchesDeleted: false };
  if (!Array.isArray(list)) throw new BadRequestError('Invalid filters: expected a JSON array.', 'filters');
  let where: Where | undefined;
  let touchesDeleted = false;
  for (const el of list) {
    if (!isObject(el) || typeof el.field !== 'string' || typeof el.op !== 'string') continue;
    const f = fieldOf(res, el.field);
    const op = FILTER_OPS[snakeKey(el.op)];
    if (!f?.where || !op) continue;
    const nullary = op === 'isNull' || op === 'isNotNull';
    const v = el.value;
    if (!nullary && !(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) continue;
    const cond = f.where(op, nullary ? undefined : v);
    if (f.canonical === 'deleted_at') touchesDeleted = true;
    const joiner = typeof el.logicalOp === 'string' && el.logicalOp.toLowerCase() === 'or' ? 'or' : 'and';
    where = where === undefined ? cond : joiner === 'or' ? { or: [where, cond] } : { and: [where, cond] };
  }
  return { where, touchesDeleted };
}

function sortKey(res: Resource, field: unknown, order: unknown): SortKey | undefined {
  if (typeof field !== 'string') return undefined;
  const count = res.counts?.find((c) => c.name === snakeKey(field.trim()));
  if (count) return { field: count.name, dir: typeof order === 'string' && order.trim().toUpperCase() === 'DESC' ? 'desc' : 'asc' };
  const f = fieldOf(res, field.trim());
  if (!f?.sort) return undefined; // unknown or unsortable: ignored
  return { field: f.sort, dir: typeof order === 'string' && order.trim().toUpperCase() === 'DESC' ? 'desc' : 'asc' };
}

/** `sorts`, else `sort` (a JSON array or a plain field with `order`), else json-server's `_sort`/`_order`. */
export function parseSort(res: Resource, params: Params): SortKey[] {
  const keys: SortKey[] = [];
  const sorts = jsonParam('sorts', params.sorts);
  if (sorts !== undefined && sorts !== null) {
    if (!Array.isArray(sorts)) throw new BadRequestError('Invalid sorts: expected a JSON array.', 'sorts');
    for (const el of sorts) {
      if (!isObject(el)) continue;
      const k = sortKey(res, el.field, el.order);
      if (k) keys.push(k);
    }
  }
  if (!keys.length && params.sort !== undefined) {
    if (typeof params.sort !== 'string') throw new BadRequestError('Invalid sort: expected one value.', 'sort');
    const s = params.sort.trim();
    if (s.startsWith('[')) {
      const arr = jsonParam('sort', s);
      if (!Array.isArray(arr)) throw new BadRequestError('Invalid sort: expected ["field","ASC"|"DESC"].', 'sort');
      const k = sortKey(res, arr[0], arr[1]);
      if (k) keys.push(k);
    } else {
      const k = sortKey(res, s, params.order);
      if (k) keys.push(k);
    }
  }
  if (!keys.length && typeof params._sort === 'string') {
    const orders = typeof params._order === 'string' ? params._order.split(',') : [];
    params._sort.split(',').forEach((f, i) => { const k = sortKey(res, f, orders[i]); if (k) keys.push(k); });
  }
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k.field) ? false : (seen.add(k.field), true)));
}

/** The whole list request -> one core query (count included: one COUNT and one page query, both SQL). */
export function parseList(res: Resource, params: Params, opts: ListOptions = {}): ListPlan {
  const filter = parseFilter(res, params);
  const filters = parseFilters(res, params.filters);
  const sort = parseSort(res, params);
  const explicit = params.range !== undefined ? parseRange(params.range) ?? DEFAULT_RANGE : jsonServerRange(params);
  const range = explicit ?? (filter.idList ? undefined : DEFAULT_RANGE);
  const search = filter.q !== undefined ? searchWhere(res, filter.q, opts.searchAlso) : undefined;
  const query: Query = {
    where: and([res.scope, ...filter.conds, filters.where, search]),
    sort,
    offset: range ? range[0] : 0,
    limit: range ? range[1] - range[0] + 1 : undefined,
    count: true,
    deleted: filter.includeArchived || filter.touchesDeleted || filters.touchesDeleted ? 'include' : 'exclude',
    semantics: SEMANTICS,
  };
  if (res.load.names) query.names = res.load.names;
  if (res.load.links) query.links = res.load.links;
  if (res.load.contactPoints) query.contactPoints = true;
  const counts = countsOf(res);
  if (counts) query.counts = counts;
  return { query, start: query.offset ?? 0 };
}

/** The q text of a request, if any (the caller may need it before parseList, see ListOptions). */
export function searchText(params: Params): string | undefined {
  const filter = (() => { try { return jsonParam('filter', params.filter); } catch { return undefined; } })();
  const q = isObject(filter) ? filter.q : params.q;
  return (typeof q === 'string' || typeof q === 'number') && String(q).trim() !== '' ? String(q).trim() : undefined;
}
