// EspoCRM `where` items (espocrm.md §5) -> the core query tree. Every attribute and link name is checked against
// the registry; values are coerced by the canonical field type and only ever travel as bound values.
import type { Registry } from '../../core/schema/registry';
import type { FieldDef } from '../../core/schema/types';
import type { Id, LinkOp, Op, Where } from '../../core/types';
import { BadRequestError } from '../../core/errors';
import { DATE_RELATIVE_TYPES, type DateContext, dateRelative, dateTimeItem, isDateTimeType, isTimeZone,
  normalizeDate, normalizeDateTime } from './dates';
import { espoLink, fromEspoValue, parseEspoId, toField } from './names';
import { type LinkedIds, linkedIdList } from './where-links';

export interface WhereContext {
  registry: Registry;
  entity: string;
  kind?: string;
  now: Date;
  timeZone: string;        // the system zone (UTC unless configured)
  fiscalYearShift: number;
  /** Set by a list: collects the ids of link-type items, checked against the store before the query runs. */
  linkedIds?: LinkedIds[];
}

interface Item { type: string; attribute?: string; value: unknown; dateTime: boolean; date: boolean; timeZone?: string }

const ITEM_KEYS = new Set(['type', 'attribute', 'field', 'value', 'dateTime', 'date', 'timeZone']);
const GROUP_TYPES = new Set(['and', 'or', 'not', 'subQueryIn', 'subQueryNotIn']);
const SUB_QUERIES = new Set(['not', 'subQueryIn', 'subQueryNotIn']);
const LINK_TYPES = new Set(['linkedWith', 'notLinkedWith', 'linkedWithAll', 'isLinked', 'isNotLinked', 'inCategory',
  'isUserFromTeams']);
const ARRAY_TYPES: Record<string, Op> = { arrayAnyOf: 'hasAny', arrayNoneOf: 'hasNone', arrayAllOf: 'hasAll',
  arrayIsEmpty: 'isEmpty', arrayIsNotEmpty: 'isNotEmpty' };
const COMPARE: Record<string, Op> = { greaterThan: 'gt', lessThan: 'lt', greaterThanOrEquals: 'gte',
  lessThanOrEquals: 'lte', on: 'eq', notOn: 'ne', before: 'lt', after: 'gt' };
const LIKE: Record<string, Op> = { like: 'like', notLike: 'notLike', contains: 'contains', notContains: 'notContains',
  startsWith: 'startsWith', endsWith: 'endsWith' };
const NULLARY: Record<string, (field: string) => Where> = {
  isNull: (field) => ({ field, op: 'isNull' }), isNotNull: (field) => ({ field, op: 'isNotNull' }),
  ever: (field) => ({ field, op: 'isNotNull' }), isTrue: (field) => ({ field, op: 'eq', value: true }),
  isFalse: (field) => ({ field, op: 'eq', value: false }),
};
const OTHER_TYPES = new Set(['equals', 'notEquals', 'in', 'notIn', 'between', 'any', 'none']);
const MAX_DEPTH = 32;

export const TRUE: Where = { and: [] };
export const FALSE: Where = { or: [] };

const bad = (message: string) => new BadRequestError(message, 'where');
const badValue = () => bad("Bad 'value'.");

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flag(v: unknown): boolean {
  return v === true || v === 1 || (typeof v === 'string' && ['1', 'true'].includes(v.toLowerCase()));
}

/** Reads one raw item, with the parser's checks (espocrm.md §5.1). */
function readItem(raw: unknown): Item {
  if (!isObject(raw)) throw bad("No 'type' in where item.");
  for (const key of Object.keys(raw)) if (!ITEM_KEYS.has(key)) throw bad(`Unknown parameter '${key}'.`);
  const { type } = raw;
  if (typeof type !== 'string' || type === '') throw bad("No 'type' in where item.");
  const attribute = raw.attribute ?? raw.field;
  if (attribute !== undefined && attribute !== null && typeof attribute !== 'string') throw bad("No 'attribute' in where item.");
  if (!GROUP_TYPES.has(type) && !attribute) throw bad("No 'attribute' in where item.");
  const timeZone = raw.timeZone;
  if (timeZone !== undefined && timeZone !== null && (typeof timeZone !== 'string' || !isTimeZone(timeZone))) {
    throw bad("Bad 'timeZone'.");
  }
  return { type, attribute: attribute || undefined, value: raw.value, dateTime: flag(raw.dateTime), date: flag(raw.date),
    timeZone: timeZone || undefined };
}

/** A list in a where value; a `qs` object (indexes past its array limit) or a scalar is not a list. */
function asList(value: unknown, error: () => BadRequestError): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw error();
  return value;
}

/** Converts a list of items, AND-ed. */
export function convertItems(ctx: WhereContext, items: unknown[], depth = 0): Where[] {
  if (depth > MAX_DEPTH) throw badValue();
  return items.map((raw) => convertItem(ctx, raw, depth));
}

export function convertItem(ctx: WhereContext, raw: unknown, depth = 0): Where {
  const item = readItem(raw);
  const { type, attribute } = item;
  if (SUB_QUERIES.has(type)) throw bad('Sub-queries are forbidden in where.');
  if (type === 'expression' || type.startsWith('column')) throw bad('Complex expressions are forbidden in where.');
  if (type === 'and' || type === 'or') {
    const parts = convertItems(ctx, asList(item.value, badValue), depth + 1);
    if (type === 'and') return { and: parts };
    return parts.length === 0 ? TRUE : { or: parts }; // an empty `or` contributes nothing in EspoCRM
  }
  const attr = attribute as string;
  if (/[.:#]/.test(attr)) throw bad('Complex expressions are forbidden in where.');
  if (type === 'any') return TRUE;
  if (type === 'none') return FALSE;
  if (LINK_TYPES.has(type)) return linkItem(ctx, item, attr);
  const field = toField(ctx.registry, ctx.entity, attr, ctx.kind);
  const def = field === undefined ? undefined : ctx.registry.field(ctx.entity, field);
  if (!field || !def) throw bad(`Not existing attribute '${attr}' in where.`);
  if (!known(type)) throw bad(`Unknown where item type '${type}'.`);
  return attributeItem(ctx, item, def);
}

function known(type: string): boolean {
  return type in ARRAY_TYPES || type in COMPARE || type in LIKE || type in NULLARY || OTHER_TYPES.has(type)
    || DATE_RELATIVE_TYPES.has(type);
}

// ---------------------------------------------------------------------------------------------------------------

function attributeItem(ctx: WhereContext, item: Item, def: FieldDef): Where {
  const { type } = item;
  const field = def.name;
  const entityDef = ctx.registry.entity(ctx.entity);
  if (type in ARRAY_TYPES || def.type === 'links') return arrayItem(ctx, item, def);
  if (field === 'name' && entityDef?.person) {
    const special = personName(type, item.value);
    if (special) return special;
  }
  if ((field === 'email' && entityDef?.emails) || (field === 'phone' && entityDef?.phones)) {
    const special = contactPoint(field, type, item.value);
    if (special) return special;
  }
  if (field === 'deleted_at') {
    const special = deletedFlag(type, item.value);
    if (special) return special;
  }
  if (item.dateTime && isDateTimeType(type)) return dateTimeItem(type, field, item.value, dateContext(ctx, item.timeZone));
  if (DATE_RELATIVE_TYPES.has(type)) {
    return dateRelative(type, field, item.value, dateContext(ctx, item.date ? item.timeZone : undefined));
  }
  const nullary = NULLARY[type];
  if (nullary) return nullary(field);
  if (type in LIKE) return { field, op: LIKE[type], value: likeValue(item.value) };
  const coerce = (v: unknown) => coerceValue(ctx, def, v);
  switch (type) {
    case 'equals':
      if (Array.isArray(item.value)) return inList(field, 'in', item.value.map(coerce));
      return compare(field, 'eq', coerce(item.value));
    case 'notEquals':
      if (Array.isArray(item.value)) return inList(field, 'nin', item.value.map(coerce));
      return compare(field, 'ne', coerce(item.value));
    case 'in':
    case 'notIn':
      return inList(field, type === 'in' ? 'in' : 'nin', asList(item.value, () => bad(`Bad where item '${type}'.`)).map(coerce));
    case 'between': {
      if (!Array.isArray(item.value) || item.value.length !== 2) throw bad("Bad where item 'between'.");
      const [a, b] = item.value.map(coerce);
      if (a === null || b === null) throw bad("Bad where item 'between'.");
      if (a === INVALID_ID || b === INVALID_ID) return FALSE;
      return { field, op: 'between', value: [a, b] };
    }
  }
  if (Array.isArray(item.value)) throw badValue();
  return compare(field, COMPARE[type], coerce(item.value));
}

function dateContext(ctx: WhereContext, timeZone?: string): DateContext {
  return { now: ctx.now, timeZone: timeZone ?? ctx.timeZone, fiscalYearShift: ctx.fiscalYearShift };
}

/** An id value that names no record (not hex). */
const INVALID_ID = Symbol('invalid id');

function compare(field: string, op: Op, value: unknown): Where {
  if (value === INVALID_ID) return op === 'ne' ? { field, op: 'isNotNull' } : FALSE;
  if (value === null) {
    if (op === 'eq') return { field, op: 'isNull' };
    if (op === 'ne') return { field, op: 'isNotNull' };
    return FALSE; // `> NULL` is never true
  }
  return { field, op, value };
}

function inList(field: string, op: 'in' | 'nin', values: unknown[]): Where {
  const valid = values.filter((v) => v !== INVALID_ID && v !== null);
  if (valid.length === 0) {
    if (values.length === 0) return op === 'in' ? FALSE : TRUE;
    return op === 'in' ? FALSE : { field, op: 'isNotNull' };
  }
  return { field, op, value: valid };
}

function likeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badValue();
}

/** A where value in the canonical form of the field's type; INVALID_ID for an id that names nothing. */
function coerceValue(ctx: WhereContext, def: FieldDef, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v) || typeof v === 'object') throw badValue();
  if (def.name === 'id' || def.type === 'link' || def.type === 'parent') return parseEspoId(v) ?? INVALID_ID;
  const s = String(v);
  switch (def.type) {
    case 'int':
    case 'float':
    case 'currency': {
      if (s.trim() === '') return null;
      if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s)) throw badValue();
      return Number(s);
    }
    case 'bool': {
      const lower = s.toLowerCase();
      if (['1', 'true'].includes(lower)) return true;
      if (['0', 'false', ''].includes(lower)) return false;
      throw badValue();
    }
    case 'date':
      if (s === '') return null;
      return normalizeDate(s) ?? fail();
    case 'datetime':
      if (s === '') return null;
      return normalizeDateTime(s) ?? normalizeDate(s) ?? fail();
    default:
      if (s === '') return null; // R2: empty is NULL
      return fromEspoValue(ctx.registry, ctx.entity, def.name, s);
  }
}

function fail(): never {
  throw badValue();
}

// ---------------------------------------------------------------------------------------------------------------
// Special attributes (ORM field converters, espocrm.md §5.3)

/** A person's `name`: equals matches first, last, "first last" or "last first"; in/notIn match nothing. */
function personName(type: string, value: unknown): Where | undefined {
  if (type === 'equals' && typeof value === 'string' && value !== '') {
    const parts: Where[] = [{ field: 'first_name', op: 'eq', value }, { field: 'last_name', op: 'eq', value },
      { field: 'name', op: 'eq', value }];
    for (let i = value.indexOf(' '); i > 0; i = value.indexOf(' ', i + 1)) {
      parts.push({ and: [{ field: 'last_name', op: 'eq', value: value.slice(0, i) },
        { field: 'first_name', op: 'eq', value: value.slice(i + 1) }] });
    }
    return { or: parts };
  }
  if (type === 'equals' && Array.isArray(value)) return FALSE;
  if (type === 'in' || type === 'notIn') {
    asList(value, () => bad(`Bad where item '${type}'.`));
    return FALSE;
  }
  if (['like', 'contains', 'startsWith', 'endsWith'].includes(type)) {
    const v = likeValue(value);
    return { or: ['first_name', 'last_name', 'name'].map((field) => ({ field, op: LIKE[type], value: v })) };
  }
  if (type === 'isNull') return { and: [{ field: 'first_name', op: 'isNull' }, { field: 'last_name', op: 'isNull' }] };
  if (type === 'isNotNull') return { or: [{ field: 'first_name', op: 'isNotNull' }, { field: 'last_name', op: 'isNotNull' }] };
  return undefined;
}

/** `emailAddress` / `phoneNumber`: equals, in and the positive LIKEs match ANY of the record's entries. */
function contactPoint(slot: 'email' | 'phone', type: string, value: unknown): Where | undefined {
  const field = slot === 'email' ? 'emails' : 'phones';
  const norm = (v: unknown) => (slot === 'email' ? likeValue(v).toLowerCase() : likeValue(v));
  const list = (v: unknown[]): Where => {
    const values = v.filter((x) => x !== null && x !== '').map(norm);
    return values.length ? { field, op: 'in', value: values } : FALSE;
  };
  if (type === 'equals') {
    if (value === null || value === undefined || value === '') return undefined;
    return Array.isArray(value) ? list(value) : { field, op: 'eq', value: norm(value) };
  }
  if (type === 'in') return list(asList(value, () => bad("Bad where item 'in'.")));
  if (['like', 'contains', 'startsWith', 'endsWith'].includes(type)) return { field, op: LIKE[type], value: norm(value) };
  return undefined;
}

/** `deleted` (a bool in EspoCRM) is `deleted_at` set or not. */
function deletedFlag(type: string, value: unknown): Where | undefined {
  const truth = (v: unknown) => flag(v);
  if (type === 'isTrue') return { field: 'deleted_at', op: 'isNotNull' };
  if (type === 'isFalse') return { field: 'deleted_at', op: 'isNull' };
  if (type === 'equals' || type === 'notEquals') {
    if (Array.isArray(value) || isObject(value)) throw badValue();
    const on = truth(value) === (type === 'equals');
    return { field: 'deleted_at', op: on ? 'isNotNull' : 'isNull' };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Multi-value fields and links

function ids(value: unknown): { valid: Id[]; given: number; invalid: number } {
  const raw = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  const valid: Id[] = [];
  let invalid = 0;
  for (const v of raw) {
    if (Array.isArray(v) || isObject(v)) throw badValue();
    const id = parseEspoId(v);
    if (id === undefined) invalid++;
    else if (!valid.includes(id)) valid.push(id);
  }
  return { valid, given: raw.length, invalid };
}

/** arrayAnyOf... on a multienum, and equals/in/isNull... on a links attribute (`teamsIds`). */
function arrayItem(ctx: WhereContext, item: Item, def: FieldDef): Where {
  const field = def.name;
  const isLinks = def.type === 'links';
  if (def.type !== 'multienum' && !isLinks) throw bad(`Bad where item '${item.type}'.`);
  const byType: Record<string, Op> = isLinks
    ? { ...ARRAY_TYPES, equals: 'hasAny', in: 'hasAny', notEquals: 'hasNone', notIn: 'hasNone', isNull: 'isEmpty',
      isNotNull: 'isNotEmpty' }
    : ARRAY_TYPES;
  const op = byType[item.type];
  if (!op) throw bad(`Bad where item '${item.type}'.`);
  if (op === 'isEmpty' || op === 'isNotEmpty') return { field, op };
  let values: unknown[];
  let anyInvalid = false;
  if (isLinks) {
    const { valid, invalid } = ids(item.value);
    anyInvalid = invalid > 0;
    values = valid;
  } else {
    const raw = item.value === undefined || item.value === null ? [] : Array.isArray(item.value) ? item.value : [item.value];
    values = raw.map((v) => fromEspoValue(ctx.registry, ctx.entity, field, likeValue(v)));
  }
  if (op === 'hasAll' && anyInvalid) return FALSE;
  if (values.length === 0) return op === 'hasAny' ? FALSE : TRUE;
  return { field, op, value: values };
}

/** linkedWith / notLinkedWith / linkedWithAll / isLinked / isNotLinked (and inCategory) on an Espo link name. */
function linkItem(ctx: WhereContext, item: Item, name: string): Where {
  const link = espoLink(ctx.registry, ctx.entity, ctx.kind, name);
  if (!link) throw bad(`Not existing relation '${name}' in where.`);
  const type = item.type === 'inCategory' ? 'linkedWith' : item.type;
  if (item.type === 'isUserFromTeams') throw bad(`Unknown where item type '${item.type}'.`); // no team membership query in the core
  if (ctx.linkedIds && link.target && type !== 'isLinked' && type !== 'isNotLinked') {
    ctx.linkedIds.push({ entity: link.target, kinds: link.targetKinds, type: link.targetEspo ?? link.target, ids: linkedIdList(item.value) });
  }
  const { valid, given, invalid } = ids(item.value);
  if (link.type === 'belongsTo' || link.type === 'belongsToParent') {
    const field = link.field as string;
    switch (type) {
      case 'isLinked': return { field, op: 'isNotNull' };
      case 'isNotLinked': return { field, op: 'isNull' };
      case 'linkedWith': return valid.length ? { field, op: 'in', value: valid } : FALSE;
      case 'notLinkedWith':
        if (valid.length) return { field, op: 'nin', value: valid };
        return given ? { field, op: 'isNotNull' } : TRUE;
      default: // linkedWithAll: one column holds one id
        if (given === 0) return TRUE;
        return valid.length === 1 && invalid === 0 ? { field, op: 'eq', value: valid[0] } : FALSE;
    }
  }
  const op = type as LinkOp;
  if (op === 'isLinked' || op === 'isNotLinked') return { link: link.key, op };
  if (op === 'linkedWith') return valid.length ? { link: link.key, op, value: valid } : FALSE;
  if (op === 'notLinkedWith') return valid.length ? { link: link.key, op, value: valid } : TRUE;
  if (given === 0) return TRUE;
  return invalid === 0 ? { link: link.key, op, value: valid } : FALSE;
}
