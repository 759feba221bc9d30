// EspoCRM list parameters (espocrm.md §4.1, §4.3) -> the core Query: where, text / primary / bool filters, select,
// order and paging, from the query string (as `qs` parses it) or from the `searchParams` JSON.
import type { Registry } from '../../core/schema/registry';
import type { Id, Query, Semantics, SortKey, Where } from '../../core/types';
import { BadRequestError, ForbiddenError } from '../../core/errors';
import { boolFilterWhere, primaryFilterWhere, textFilterWhere } from './filters';
import { attributeNames, espoKinds, espoName, toAttribute, toField } from './names';
import { convertItems, type WhereContext } from './where';
import type { LinkedIds } from './where-links';

/** How EspoCRM compares (mapping.md C7): SQL NULL logic, case-insensitive equals, raw LIKE patterns. */
export const ESPO_SEMANTICS: Semantics = { negationMatchesNull: false, caseInsensitiveEquals: true, rawLikePatterns: true };

/** config `recordListMaxSizeLimit`: the default page size and the cap. */
export const MAX_SIZE = 200;

/** config `timeZone` and `fiscalYearShift`: what date filters use unless a request says otherwise (GET /Settings shows them). */
export const SYSTEM_TIME_ZONE = 'UTC';
export const FISCAL_YEAR_SHIFT = 0;

export interface ListOptions {
  now?: Date;               // "now" for date-relative filters (default: the clock)
  userId?: Id;              // the acting user, for the `onlyMy` bool filter
  timeZone?: string;        // the system zone (default UTC)
  fiscalYearShift?: number; // months (default 0)
}

export interface EspoListQuery extends Query {
  maxSize: number;
  /** No count: the caller fetches maxSize + 1 rows and answers total -1 (more) or -2 (no more). */
  noTotal: boolean;
  /** With `select`: the Espo attributes to render (requested + mandatory), else undefined (all). */
  attributes?: string[];
  /** The ids of link-type where items, which must name existing records (where-links.ts). */
  linkedIds?: LinkedIds[];
}

/** Default order per Espo entity type (espocrm.md §7); others: createdAt desc. */
const DEFAULT_ORDER: Record<string, [string, 'asc' | 'desc']> = {
  Case: ['number', 'desc'], Call: ['dateStart', 'desc'], Meeting: ['dateStart', 'desc'], Email: ['dateSent', 'desc'],
  User: ['userName', 'asc'], Team: ['name', 'asc'], DocumentFolder: ['name', 'asc'],
};

interface Params {
  where: unknown[];
  select?: string[];
  maxSize?: number;
  offset: number;
  orderBy?: string;
  order?: 'asc' | 'desc';
  textFilter?: string;
  q: boolean;
  primaryFilter?: string;
  boolFilterList: string[];
}

const bad = (message: string, param: string) => new BadRequestError(message, param);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function orderValue(v: unknown): 'asc' | 'desc' {
  const s = typeof v === 'string' ? v.toLowerCase() : undefined;
  if (s !== 'asc' && s !== 'desc') throw bad('order value is bad.', 'order');
  return s;
}

function orderByValue(v: unknown): string {
  if (typeof v === 'string') return v;
  throw bad(`Order by non-existing field '${typeof v === 'object' ? JSON.stringify(v) : String(v)}'.`, 'orderBy');
}

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** PHP intval of a query value. */
function intval(v: unknown, message: string, param: string): number {
  if (typeof v !== 'string' && typeof v !== 'number') throw bad(message, param);
  const n = parseInt(String(v), 10);
  return Number.isFinite(n) ? n : 0;
}

/** The `searchParams` JSON text; an object when `parsed` is allowed (a mass action's body carries it as JSON). */
function searchParamsObject(json: unknown, parsed = false): Record<string, unknown> {
  let sp: unknown = parsed && isObject(json) ? json : undefined;
  try {
    if (typeof json === 'string') sp = JSON.parse(json);
  } catch {
    sp = undefined;
  }
  if (!isObject(sp)) throw bad('Invalid search params JSON.', 'searchParams');
  return sp;
}

/** The `searchParams` JSON form: every other list parameter is ignored. */
function fromSearchParams(sp: Record<string, unknown>): Params {
  const p: Params = { where: [], offset: 0, q: false, boolFilterList: [] };
  if (sp.where != null) {
    if (!Array.isArray(sp.where)) throw bad('where should be array.', 'where');
    p.where = sp.where;
  }
  if (sp.select != null) {
    if (!Array.isArray(sp.select)) throw bad('select should be array.', 'select');
    p.select = sp.select.filter((x): x is string => typeof x === 'string');
  }
  if (sp.maxSize != null) {
    if (typeof sp.maxSize !== 'number' || !Number.isInteger(sp.maxSize)) throw bad('maxSize must be integer.', 'maxSize');
    p.maxSize = sp.maxSize;
  }
  if (sp.offset != null) {
    const o = sp.offset;
    if (!(typeof o === 'number' && Number.isInteger(o)) && !(typeof o === 'string' && /^-?\d+$/.test(o))) {
      throw bad('offset should be int.', 'offset');
    }
    p.offset = Number(o);
  }
  if (sp.orderBy != null) p.orderBy = orderByValue(sp.orderBy);
  if (sp.order != null) p.order = orderValue(sp.order);
  p.textFilter = str(sp.textFilter) ?? str(sp.q);
  p.q = sp.q != null && sp.textFilter == null;
  p.primaryFilter = str(sp.primaryFilter);
  p.boolFilterList = stringList(sp.boolFilterList);
  return p;
}

/** The top-level where list: an array, or a `qs` object of numeric indexes (re-indexed); anything else is ignored. */
function topLevelWhere(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v) && Object.keys(v).every((k) => /^\d+$/.test(k))) {
    return Object.keys(v).sort((a, b) => Number(a) - Number(b)).map((k) => v[k]);
  }
  return [];
}

function fromQuery(raw: Record<string, unknown>): Params {
  const p: Params = { where: topLevelWhere(raw.whereGroup ?? raw.where), offset: 0, q: false, boolFilterList: [] };
  const select = raw.attributeSelect ?? raw.select;
  if (typeof select === 'string') p.select = select === '' ? [] : select.split(',');
  else if (Array.isArray(select)) p.select = stringList(select);
  if (raw.maxSize !== undefined && raw.maxSize !== '') p.maxSize = intval(raw.maxSize, 'maxSize must be integer.', 'maxSize');
  if (raw.offset !== undefined && raw.offset !== '') p.offset = intval(raw.offset, 'offset should be int.', 'offset');
  const orderBy = raw.orderBy ?? raw.sortBy;
  if (orderBy !== undefined && orderBy !== '') p.orderBy = orderByValue(orderBy);
  if (raw.order !== undefined && raw.order !== '') p.order = orderValue(raw.order);
  else if (raw.asc !== undefined) p.order = ['true', '1'].includes(String(raw.asc).toLowerCase()) ? 'asc' : 'desc';
  p.textFilter = str(raw.textFilter) ?? str(raw.q);
  p.q = raw.q !== undefined && raw.textFilter === undefined;
  p.primaryFilter = str(raw.primaryFilter);
  p.boolFilterList = stringList(raw.boolFilterList);
  return p;
}

/** Legacy top-level items `{type: bool | primary | textFilter}` become the named parameters. */
function liftLegacyItems(p: Params): void {
  const rest: unknown[] = [];
  for (const item of p.where) {
    const type = isObject(item) ? item.type : undefined;
    if (type === 'bool' && isObject(item)) p.boolFilterList = stringList(item.value);
    else if (type === 'primary' && isObject(item)) p.primaryFilter = str(item.value);
    else if (type === 'textFilter' && isObject(item)) p.textFilter = str(item.value);
    else rest.push(item);
  }
  p.where = rest;
}

function whereContext(registry: Registry, entity: string, kind: string | undefined, opts: ListOptions): WhereContext {
  return { registry, entity, kind, now: opts.now ?? new Date(), timeZone: opts.timeZone ?? SYSTEM_TIME_ZONE,
    fiscalYearShift: opts.fiscalYearShift ?? FISCAL_YEAR_SHIFT };
}

function buildWhere(ctx: WhereContext, p: Params, userId?: Id): Where | undefined {
  const parts: Where[] = [];
  const kinds = espoKinds(ctx.entity, ctx.kind);
  if (kinds) parts.push(kinds.length === 1 ? { field: 'kind', op: 'eq', value: kinds[0] } : { field: 'kind', op: 'in', value: kinds });
  parts.push(...convertItems(ctx, p.where));
  const text = p.textFilter === undefined ? undefined : textFilterWhere(ctx, p.textFilter);
  if (text) parts.push(text);
  if (p.primaryFilter) parts.push(primaryFilterWhere(ctx, p.primaryFilter));
  const bool = boolFilterWhere(ctx, p.boolFilterList, userId);
  if (bool) parts.push(bool);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

/**
 * The `where` of a list of where items alone (as a list takes them, legacy bool/primary/textFilter items included,
 * no paging). Restricted to the Espo type's kinds for Task / Call / Meeting. `{and: []}` when empty.
 */
export function parseWhere(registry: Registry, entity: string, kind: string | undefined, items: unknown,
  now: Date = new Date(), opts: ListOptions = {}): Where {
  return parseSearchWhere(registry, entity, kind, items, undefined, 'replace', { ...opts, now });
}

/** A filter a list would skip would widen what a mass action touches: EspoCRM's SearchParams refuse it, so do we. */
function checkFilterTypes(sp: Record<string, unknown>): void {
  for (const key of ['textFilter', 'q', 'primaryFilter']) {
    if (sp[key] !== undefined && sp[key] !== null && typeof sp[key] !== 'string') throw bad(`${key} should be string.`, key);
  }
  const bools = sp.boolFilterList;
  if (bools !== undefined && bools !== null && !(Array.isArray(bools) && bools.every((x) => typeof x === 'string'))) {
    throw bad('boolFilterList should be array.', 'boolFilterList');
  }
}

/**
 * The where of a mass action or mass link given by `where` items and/or `searchParams` (an object or its JSON text):
 * its text, primary and bool filters apply, and `where` takes the place of its where items (`replace`: EspoCRM's
 * mass-action Params) or comes on top of them (`append`: mass link). Paging and order of `searchParams` are ignored.
 */
export function parseSearchWhere(registry: Registry, entity: string, kind: string | undefined, where: unknown,
  searchParams: unknown, mode: 'replace' | 'append', opts: ListOptions = {}): Where {
  const sp = searchParams === undefined || searchParams === null ? undefined : searchParamsObject(searchParams, true);
  if (sp) checkFilterTypes(sp);
  const p: Params = sp ? fromSearchParams(sp) : { where: [], offset: 0, q: false, boolFilterList: [] };
  if (where !== undefined && where !== null) p.where = mode === 'replace' ? topLevelWhere(where) : [...p.where, ...topLevelWhere(where)];
  liftLegacyItems(p);
  return buildWhere(whereContext(registry, entity, kind, opts), p, opts.userId) ?? { and: [] };
}

/** The canonical fields an `orderBy` value sorts by; undefined if it names nothing sortable. */
export function sortFields(registry: Registry, entity: string, kind: string | undefined, name: string): string[] | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return undefined;
  const def = registry.entity(entity);
  if (!def) return undefined;
  if (name === 'name' && def.person) return ['first_name', 'last_name'];
  const direct = toField(registry, entity, name, kind);
  // A link sorts by its name in EspoCRM; the core cannot sort by a joined name, so it sorts by the id column.
  const field = direct ?? toField(registry, entity, `${name}Id`, kind)
    ?? (name.endsWith('Name') ? toField(registry, entity, `${name.slice(0, -4)}Id`, kind) : undefined);
  const f = field ? def.fields[field] : undefined;
  if (!f || f.type === 'links') return undefined;
  if (f.type === 'parent' && !direct) return [f.name.replace(/_id$/, '_type')];
  return [f.name];
}

function sortKeys(registry: Registry, entity: string, kind: string | undefined, p: Params): SortKey[] {
  const type = espoName(entity, kind);
  const [defaultBy, defaultDir] = DEFAULT_ORDER[type] ?? ['createdAt', 'desc'];
  const by = p.orderBy ?? defaultBy;
  const dir = p.order ?? (p.orderBy !== undefined ? 'asc' : defaultDir);
  const fields = sortFields(registry, entity, kind, by);
  if (!fields) {
    if (p.orderBy === undefined) return [{ field: 'created_at', dir }];
    throw bad(`Order by non-existing field '${by}'.`, 'orderBy');
  }
  return fields.map((field) => ({ field, dir }));
}

/** Maps `select` attributes onto the Query's select / names / links / contactPoints; unknown names are dropped. */
function applySelect(registry: Registry, entity: string, kind: string | undefined, attrs: string[], q: EspoListQuery): void {
  const def = registry.entity(entity);
  if (!def) return;
  const names = attributeNames(registry, entity, kind);
  const select = new Set<string>(['id']);
  const nameFields = new Set<string>();
  const linkFields = new Set<string>();
  const out: string[] = [];
  const take = (attribute: string, field: string, withName = false) => {
    const f = def.fields[field];
    if (field === 'emails' || field === 'phones' || field === 'email_opt_out') q.contactPoints = true;
    else if (f?.type === 'links') linkFields.add(field);
    else if (f) select.add(field);
    if (f?.type === 'parent') select.add(field.replace(/_id$/, '_type'));
    if (f && (f.type === 'link' || f.type === 'parent' || withName)) nameFields.add(field);
    if (!out.includes(attribute)) out.push(attribute);
  };
  const mandatory = ['id', 'assigned_user_id', 'created_by', ...((entity === 'contact' || entity === 'opportunity') ? ['account_id'] : [])];
  const wanted = [...attrs, ...mandatory.filter((f) => names.fields.has(f)).map((f) => names.fields.get(f) as string),
    ...(q.sort ?? []).map((s) => toAttribute(registry, entity, s.field, kind))];
  if (entity === 'contact' || entity === 'opportunity') wanted.push('accountName');
  for (const attribute of wanted) {
    const field = names.attributes.get(attribute);
    if (field) { take(attribute, field); continue; }
    const base = attribute.replace(/(Name|Names|Columns|IsInvalid|IsOptedOut)$/, '');
    const suffix = attribute.slice(base.length);
    const one = names.attributes.get(`${base}Id`);
    const many = names.attributes.get(`${base}Ids`);
    if (suffix === 'Name' && one) take(attribute, one, true);
    else if ((suffix === 'Names' || suffix === 'Columns') && many) take(attribute, many, suffix === 'Names');
    else if ((base === 'emailAddress' && def.emails) || (base === 'phoneNumber' && def.phones)) {
      if (suffix === 'IsInvalid' || suffix === 'IsOptedOut') take(attribute, base === 'emailAddress' ? 'emails' : 'phones');
    }
  }
  q.select = [...select];
  q.names = [...nameFields];
  q.links = linkFields.size ? [...linkFields] : false;
  q.attributes = out;
}

/**
 * EspoCRM list parameters -> the core Query (espocrm.md §4). `rawQuery` is the URL query as `qs` parses it
 * (depth 10, arrayLimit 1000); `headers.noTotal` is `X-No-Total: true`. Throws BadRequestError with EspoCRM's
 * X-Status-Reason texts, ForbiddenError when maxSize exceeds 200. `opts.now` fixes the clock (tests).
 */
export function parseListParams(registry: Registry, entity: string, kind: string | undefined,
  rawQuery: Record<string, unknown>, headers: { noTotal?: boolean }, opts: ListOptions = {}): EspoListQuery {
  const p = rawQuery.searchParams !== undefined ? fromSearchParams(searchParamsObject(rawQuery.searchParams)) : fromQuery(rawQuery);
  liftLegacyItems(p);
  const maxSize = Math.max(0, p.maxSize ?? MAX_SIZE);
  if (maxSize > MAX_SIZE) throw new ForbiddenError(`Max size should not exceed ${MAX_SIZE}. Use offset and limit.`);
  const noTotal = Boolean(headers.noTotal) || p.q || entity === 'email';
  const ctx: WhereContext = { ...whereContext(registry, entity, kind, opts), linkedIds: [] };
  const q: EspoListQuery = {
    where: buildWhere(ctx, p, opts.userId),
    sort: sortKeys(registry, entity, kind, p),
    offset: Math.max(0, p.offset),
    limit: maxSize,
    count: !noTotal,
    semantics: ESPO_SEMANTICS,
    maxSize,
    noTotal,
  };
  if (ctx.linkedIds?.length) q.linkedIds = ctx.linkedIds;
  if (p.select !== undefined) {
    applySelect(registry, entity, kind, p.select, q);
  } else {
    const def = registry.entity(entity);
    const names = attributeNames(registry, entity, kind);
    q.names = [...names.fields.keys()].filter((f) => ['link', 'parent'].includes(def?.fields[f]?.type ?? ''));
    q.contactPoints = Boolean(def?.emails || def?.phones);
  }
  return q;
}
