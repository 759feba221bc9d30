// The query tree -> SQL with bound parameters. Names are checked against the registry; values are only ever bound.
import type { Registry } from '../schema/registry';
import { isSlotOnly, parentTypeField } from '../schema/registry';
import type { EntityDef, FieldDef } from '../schema/types';
import type { Op, Semantics, SortKey, Where } from '../types';
import { BadRequestError } from '../errors';
import type { DbKind } from './db';
import { CONTACT_POINT_TABLE, LINK_TABLE, isStringType, q, tableOf } from './tables';

export interface Sql { sql: string; params: unknown[] }

interface Scope {
  registry: Registry;
  def: EntityDef;
  alias: string;
  kind: DbKind;
  sem: Semantics;
  depth?: number;     // nesting of linkedWhere, for unique sub-query aliases
}

const TRUE = '1=1';
const FALSE = '1=0';

export function compileWhere(registry: Registry, entity: string, where: Where | undefined, kind: DbKind,
  sem: Semantics = {}, alias = 't'): Sql {
  const def = registry.entity(entity);
  if (!def) throw new BadRequestError(`Unknown entity '${entity}'.`, 'entity');
  const params: unknown[] = [];
  const sql = where ? node({ registry, def, alias, kind, sem }, where, params) : TRUE;
  return { sql, params };
}

function node(s: Scope, w: Where, p: unknown[]): string {
  if (!w || typeof w !== 'object') throw new BadRequestError('Bad filter node.', 'where');
  if ('and' in w) return group(s, w.and, ' AND ', TRUE, p);
  if ('or' in w) return group(s, w.or, ' OR ', FALSE, p);
  if ('not' in w) return `NOT (${node(s, w.not, p)})`;
  if ('link' in w) return w.op === 'linkedWhere' ? linkedWhere(s, w.link, w.where, p) : linkTest(s, w.link, w.op, w.value, p);
  if ('field' in w) return leaf(s, w.field, w.op, w.value, p);
  throw new BadRequestError('Bad filter node.', 'where');
}

function group(s: Scope, items: Where[], joiner: string, empty: string, p: unknown[]): string {
  if (!Array.isArray(items)) throw new BadRequestError('Bad filter group.', 'where');
  if (items.length === 0) return empty;
  return '(' + items.map((i) => node(s, i, p)).join(joiner) + ')';
}

function fieldOf(s: Scope, name: string): FieldDef {
  const f = s.def.fields[name];
  if (!f) throw new BadRequestError(`Unknown field '${name}'.`, 'where');
  return f;
}

/** Turns a filter value into the column's type, or refuses it (never lets the database see a wrong type). */
export function coerce(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (f.type) {
    case 'int': case 'float': case 'currency': case 'link': case 'parent': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new BadRequestError(`Bad value for '${f.name}': a number is expected.`, f.name);
      return n;
    }
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 1 || v === '1' || v === 'true') return true;
      if (v === 0 || v === '0' || v === 'false') return false;
      throw new BadRequestError(`Bad value for '${f.name}': true or false is expected.`, f.name);
    default:
      if (typeof v === 'object') throw new BadRequestError(`Bad value for '${f.name}': a scalar is expected.`, f.name);
      return String(v);
  }
}

function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined) return [];
  return [v];
}

function escapeLike(v: string): string {
  return v.replace(/[\\%_]/g, (c) => '\\' + c);
}

function likePattern(s: Scope, op: Op, v: unknown): string {
  const raw = String(v ?? '');
  const val = s.sem.rawLikePatterns ? raw : escapeLike(raw);
  switch (op) {
    case 'contains': case 'notContains': return `%${val}%`;
    case 'startsWith': return `${val}%`;
    case 'endsWith': return `%${val}`;
    default: return raw; // like / notLike: the caller's own pattern
  }
}

/** `col LIKE pattern` with the dialect's case rule, the same meaning on SQLite and PostgreSQL. */
function likeSql(s: Scope, col: string, pattern: string, p: unknown[]): string {
  if (!s.sem.caseSensitiveLike) {
    p.push(pattern.toLowerCase());
    return `lower(${col}) LIKE ? ESCAPE '\\'`;
  }
  if (s.kind === 'pg') { p.push(pattern); return `${col} LIKE ? ESCAPE '\\'`; }
  p.push(likeToGlob(pattern));
  return `${col} GLOB ?`;
}

function likeToGlob(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) { out += globLiteral(pattern[++i]); continue; }
    out += c === '%' ? '*' : c === '_' ? '?' : globLiteral(c);
  }
  return out;
}

function globLiteral(c: string): string {
  return c === '*' || c === '?' || c === '[' ? `[${c}]` : c;
}

/** Pattern tests on a number column compare its decimal text (PostgreSQL has no LIKE on numbers). */
function asText(f: FieldDef, col: string): string {
  return isStringType(f) || f.type === 'date' || f.type === 'datetime' ? col : `CAST(${col} AS TEXT)`;
}

function negate(s: Scope, col: string, positive: string): string {
  return s.sem.negationMatchesNull ? `(NOT (${positive}) OR ${col} IS NULL)` : `NOT (${positive})`;
}

function leaf(s: Scope, name: string, op: Op, value: unknown, p: unknown[]): string {
  if (name === 'emails' && s.def.emails) return contactPointTest(s, 'email', op, value, p);
  if (name === 'phones' && s.def.phones) return contactPointTest(s, 'phone', op, value, p);
  const f = fieldOf(s, name);
  if (f.type === 'links') return linksFieldTest(s, f, op, value, p);
  if (isSlotOnly(s.def, name)) return slotTest(s, f, op, value, p);
  return columnTest(s, `${s.alias}.${q(f.name)}`, f, op, value, p);
}

/**
 * Text equality goes through lower(col), which the indexes hold; a case-sensitive test adds the exact
 * comparison on top (`lower(c) = 'ann' AND c = 'Ann'`), so it is served by the same index.
 */
function equalsSql(s: Scope, col: string, f: FieldDef, v: unknown, p: unknown[]): string {
  const c = coerce(f, v);
  if (!isStringType(f) || typeof c !== 'string' || !col.startsWith(`${s.alias}.`)) { p.push(c); return `${col} = ?`; }
  p.push(c.toLowerCase());
  if (s.sem.caseInsensitiveEquals) return `lower(${col}) = ?`;
  p.push(c);
  return `(lower(${col}) = ? AND ${col} = ?)`;
}

function inSql(s: Scope, col: string, f: FieldDef, vals: unknown[], p: unknown[]): string {
  const text = isStringType(f) && col.startsWith(`${s.alias}.`);
  const coerced = vals.map((v) => coerce(f, v));
  if (!text) { p.push(...coerced); return `${col} IN (${coerced.map(() => '?').join(', ')})`; }
  p.push(...coerced.map((c) => String(c).toLowerCase()));
  const lowered = `lower(${col}) IN (${coerced.map(() => '?').join(', ')})`;
  if (s.sem.caseInsensitiveEquals) return lowered;
  p.push(...coerced);
  return `(${lowered} AND ${col} IN (${coerced.map(() => '?').join(', ')}))`;
}

function columnTest(s: Scope, col: string, f: FieldDef, op: Op, value: unknown, p: unknown[]): string {
  switch (op) {
    case 'eq':
      if (value === null || value === undefined) return `${col} IS NULL`;
      if (Array.isArray(value)) return columnTest(s, col, f, 'in', value, p);
      return equalsSql(s, col, f, value, p);
    case 'ne':
      if (value === null || value === undefined) return `${col} IS NOT NULL`;
      if (Array.isArray(value)) return columnTest(s, col, f, 'nin', value, p);
      return negate(s, col, equalsSql(s, col, f, value, p));
    case 'gt': case 'gte': case 'lt': case 'lte': {
      const sym = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
      p.push(coerce(f, value)); return `${col} ${sym} ?`;
    }
    case 'in': case 'nin': {
      const vals = list(value);
      const nonNull = vals.filter((v) => v !== null && v !== undefined);
      const hasNull = nonNull.length < vals.length;
      const parts: string[] = [];
      if (nonNull.length) parts.push(inSql(s, col, f, nonNull, p));
      if (hasNull) parts.push(`${col} IS NULL`);
      const positive = parts.length ? `(${parts.join(' OR ')})` : FALSE;
      if (op === 'in') return positive;
      if (!parts.length) return TRUE;
      return hasNull ? `NOT ${positive}` : negate(s, col, positive);
    }
    case 'between': {
      const vals = list(value);
      if (vals.length !== 2) throw new BadRequestError(`'between' on '${f.name}' needs two values.`, f.name);
      p.push(coerce(f, vals[0]), coerce(f, vals[1]));
      return `(${col} >= ? AND ${col} <= ?)`;
    }
    case 'contains': case 'startsWith': case 'endsWith': case 'like':
      return likeSql(s, asText(f, col), likePattern(s, op, value), p);
    case 'notContains': case 'notLike':
      return negate(s, col, likeSql(s, asText(f, col), likePattern(s, op, value), p));
    case 'isNull': return `${col} IS NULL`;
    case 'isNotNull': return `${col} IS NOT NULL`;
    case 'hasAny': case 'hasAll': case 'hasNone': {
      if (f.type !== 'multienum') throw new BadRequestError(`'${op}' needs a multi-value field, '${f.name}' is not.`, f.name);
      const vals = list(value).map((v) => `%${escapeLike(JSON.stringify(String(v)))}%`);
      if (!vals.length) return op === 'hasAll' || op === 'hasNone' ? TRUE : FALSE;
      const tests = vals.map((v) => { p.push(v); return `${col} LIKE ? ESCAPE '\\'`; });
      if (op === 'hasAny') return `(${tests.join(' OR ')})`;
      if (op === 'hasAll') return `(${tests.join(' AND ')})`;
      return `(${col} IS NULL OR NOT (${tests.join(' OR ')}))`;
    }
    case 'isEmpty': return `(${col} IS NULL OR ${col} = '[]')`;
    case 'isNotEmpty': return `(${col} IS NOT NULL AND ${col} <> '[]')`;
    default:
      throw new BadRequestError(`Unknown operator '${String(op)}'.`, 'where');
  }
}

const SLOT_PHONE_TYPES: Record<string, string> = {
  phone_office: 'office', phone_mobile: 'mobile', phone_home: 'home', phone_fax: 'fax', phone_other: 'other',
};

/** A slot that lives only in the contact-point list: test the one entry the slot names. */
function slotTest(s: Scope, f: FieldDef, op: Op, value: unknown, p: unknown[]): string {
  const isEmail = f.name.startsWith('email');
  const where = [`cp.record_id = ${s.alias}.id`, `cp.kind = '${isEmail ? 'email' : 'phone'}'`];
  if (f.name === 'email_2') where.push('cp.position = 1');
  else if (f.name === 'email_opt_out') where.push('cp.position = 0');
  else where.push(`cp.position > 0 AND cp.type = '${SLOT_PHONE_TYPES[f.name]}'`);
  const col = f.name === 'email_opt_out' ? 'cp.opt_out' : 'cp.lower_value';
  const inner = `SELECT 1 FROM ${CONTACT_POINT_TABLE} cp WHERE ${where.join(' AND ')}`;
  if (op === 'isNull') return `NOT EXISTS (${inner})`;
  if (op === 'isNotNull') return `EXISTS (${inner})`;
  const sub: Scope = { ...s, sem: { ...s.sem, caseInsensitiveEquals: false, caseSensitiveLike: false } };
  const fv = f.name === 'email_opt_out' ? f : { ...f, type: 'string' as const };
  const v = typeof value === 'string' ? value.toLowerCase() : Array.isArray(value) ? value.map((x) => typeof x === 'string' ? x.toLowerCase() : x) : value;
  const negative = op === 'ne' || op === 'nin' || op === 'notContains' || op === 'notLike';
  const positiveOp = ({ ne: 'eq', nin: 'in', notContains: 'contains', notLike: 'like' } as Record<string, Op>)[op] ?? op;
  const test = `EXISTS (${inner} AND ${columnTest(sub, col, fv, positiveOp, v, p)})`;
  return negative ? `NOT ${test}` : test;
}

/** `emails` / `phones`: any entry of the record's list matches (case-insensitive). */
function contactPointTest(s: Scope, kind: 'email' | 'phone', op: Op, value: unknown, p: unknown[]): string {
  const inner = `SELECT 1 FROM ${CONTACT_POINT_TABLE} cp WHERE cp.record_id = ${s.alias}.id AND cp.kind = '${kind}'`;
  if (op === 'isNull' || op === 'isEmpty') return `NOT EXISTS (${inner})`;
  if (op === 'isNotNull' || op === 'isNotEmpty') return `EXISTS (${inner})`;
  const negative = op === 'ne' || op === 'nin' || op === 'notContains' || op === 'notLike';
  const positiveOp = ({ ne: 'eq', nin: 'in', notContains: 'contains', notLike: 'like' } as Record<string, Op>)[op] ?? op;
  const f: FieldDef = { name: kind === 'email' ? 'emails' : 'phones', type: 'string' };
  const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  const v = Array.isArray(value) ? value.map(lower) : lower(value);
  const sub: Scope = { ...s, sem: { ...s.sem, caseInsensitiveEquals: false, caseSensitiveLike: false } };
  const test = `EXISTS (${inner} AND ${columnTest(sub, 'cp.lower_value', f, positiveOp, v, p)})`;
  return negative ? `NOT ${test}` : test;
}

function ids(value: unknown, what: string): number[] {
  return list(value).map((v) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n)) throw new BadRequestError(`Bad id in '${what}'.`, what);
    return n;
  });
}

/** A links field used as a filter field: `hasAny`/`in`/`eq` etc. read as link tests. */
function linksFieldTest(s: Scope, f: FieldDef, op: Op, value: unknown, p: unknown[]): string {
  const key = `${s.def.name}.${f.name}`;
  const map: Partial<Record<Op, 'linkedWith' | 'notLinkedWith' | 'linkedWithAll' | 'isLinked' | 'isNotLinked'>> = {
    eq: 'linkedWith', in: 'linkedWith', hasAny: 'linkedWith', ne: 'notLinkedWith', nin: 'notLinkedWith',
    hasNone: 'notLinkedWith', hasAll: 'linkedWithAll', isNotNull: 'isLinked', isNotEmpty: 'isLinked',
    isNull: 'isNotLinked', isEmpty: 'isNotLinked',
  };
  const lop = map[op];
  if (!lop) throw new BadRequestError(`Operator '${op}' does not apply to '${f.name}'.`, f.name);
  return linkTest(s, key, lop, value as number[] | undefined, p);
}

function linkTest(s: Scope, key: string, op: string, value: unknown, p: unknown[]): string {
  const ref = s.registry.resolveLink(s.def.name, key);
  if (!ref) throw new BadRequestError(`Unknown link '${key}'.`, 'where');
  const vals = op === 'isLinked' || op === 'isNotLinked' ? [] : ids(value, key);
  if ((ref.field.type === 'link' || ref.field.type === 'parent') && !ref.inverse) {
    // Our own foreign-key column.
    const col = `${s.alias}.${q(ref.field.name)}`;
    const inList = () => { p.push(...vals); return vals.map(() => '?').join(', '); };
    switch (op) {
      case 'linkedWith': return vals.length ? `${col} IN (${inList()})` : FALSE;
      case 'notLinkedWith': return vals.length ? `(${col} IS NULL OR ${col} NOT IN (${inList()}))` : TRUE;
      case 'linkedWithAll': return vals.length === 0 ? TRUE : new Set(vals).size === 1 ? (p.push(vals[0]), `${col} = ?`) : FALSE;
      case 'isLinked': return `${col} IS NOT NULL`;
      case 'isNotLinked': return `${col} IS NULL`;
    }
    throw new BadRequestError(`Unknown link operator '${op}'.`, 'where');
  }
  // `exists(ids)` renders "a related row exists (among ids)", pushing its parameters in placeholder order.
  let exists: (only?: number[]) => string;
  if (ref.field.type === 'parent') {
    // Children through a polymorphic parent: their parent id is ours and their parent type is our entity.
    const other = tableOf(ref.owner);
    const typeCol = q(parentTypeField(ref.field.name));
    exists = (only) => {
      p.push(s.def.name);
      const extra = only ? ` AND lk.id IN (${only.map((v) => (p.push(v), '?')).join(', ')})` : '';
      return `EXISTS (SELECT 1 FROM ${other} lk WHERE lk.${q(ref.field.name)} = ${s.alias}.id AND lk.${typeCol} = ? AND lk.deleted_at IS NULL${extra})`;
    };
  } else if (ref.field.type === 'link') {
    const other = tableOf(ref.owner);
    exists = (only) => {
      const extra = only ? ` AND lk.id IN (${only.map((v) => (p.push(v), '?')).join(', ')})` : '';
      return `EXISTS (SELECT 1 FROM ${other} lk WHERE lk.${q(ref.field.name)} = ${s.alias}.id AND lk.deleted_at IS NULL${extra})`;
    };
  } else {
    const [mine, theirs] = ref.inverse ? ['to_id', 'from_id'] : ['from_id', 'to_id'];
    exists = (only) => {
      p.push(key);
      const extra = only ? ` AND lk.${theirs} IN (${only.map((v) => (p.push(v), '?')).join(', ')})` : '';
      return `EXISTS (SELECT 1 FROM ${LINK_TABLE} lk WHERE lk.rel = ? AND lk.${mine} = ${s.alias}.id${extra})`;
    };
  }
  switch (op) {
    case 'linkedWith': return vals.length ? exists(vals) : FALSE;
    case 'notLinkedWith': return vals.length ? `NOT ${exists(vals)}` : TRUE;
    case 'linkedWithAll': return vals.length ? `(${vals.map((v) => exists([v])).join(' AND ')})` : TRUE;
    case 'isLinked': return exists();
    case 'isNotLinked': return `NOT ${exists()}`;
    default: throw new BadRequestError(`Unknown link operator '${op}'.`, 'where');
  }
}

/** Some record related through `key` matches `where` (an EXISTS over the other entity, at any depth). */
function linkedWhere(s: Scope, key: string, where: Where | undefined, p: unknown[]): string {
  const ref = s.registry.resolveLink(s.def.name, key);
  if (!ref || ref.target === '*') throw new BadRequestError(`Unknown link '${key}'.`, 'where');
  const depth = (s.depth ?? 0) + 1;
  const a = `lw${depth}`;
  const target = s.registry.entity(ref.target)!;
  const inner = (head: string, cond: string, pre: unknown[]) => {
    p.push(...pre);
    const sub = where ? node({ ...s, def: target, alias: a, depth }, where, p) : TRUE;
    return `EXISTS (SELECT 1 FROM ${head} WHERE ${cond} AND ${a}.deleted_at IS NULL AND ${sub})`;
  };
  const t = tableOf(ref.target);
  if (ref.field.type === 'link' && !ref.inverse) return inner(`${t} ${a}`, `${a}.id = ${s.alias}.${q(ref.field.name)}`, []);
  if (ref.field.type === 'link') return inner(`${t} ${a}`, `${a}.${q(ref.field.name)} = ${s.alias}.id`, []);
  if (ref.field.type === 'parent') {
    return inner(`${t} ${a}`, `${a}.${q(ref.field.name)} = ${s.alias}.id AND ${a}.${q(parentTypeField(ref.field.name))} = ?`, [s.def.name]);
  }
  const [mine, theirs] = ref.inverse ? ['to_id', 'from_id'] : ['from_id', 'to_id'];
  return inner(`${LINK_TABLE} l${depth} JOIN ${t} ${a} ON ${a}.id = l${depth}.${theirs}`, `l${depth}.rel = ? AND l${depth}.${mine} = ${s.alias}.id`, [key]);
}

/** ORDER BY with a stable tie-breaker; NULLs sort first ascending on both databases. */
export function compileSort(registry: Registry, entity: string, sort: SortKey[] | undefined, kind: DbKind, alias = 't',
  computed: string[] = []): string {
  const def = registry.entity(entity)!;
  const keys = sort ?? [];
  const parts: string[] = [];
  for (const k of keys) {
    if (computed.includes(k.field) && (k.dir === 'asc' || k.dir === 'desc')) { parts.push(`${q(k.field)} ${k.dir.toUpperCase()}`); continue; }
    const f = def.fields[k.field];
    if (!f || f.type === 'links' || isSlotOnly(def, k.field)) throw new BadRequestError(`Cannot sort by '${k.field}'.`, 'sort');
    if (k.dir !== 'asc' && k.dir !== 'desc') throw new BadRequestError(`Bad sort direction '${String(k.dir)}'.`, 'sort');
    const nulls = kind === 'pg' ? (k.dir === 'asc' ? ' NULLS FIRST' : ' NULLS LAST') : '';
    // Text sorts ignore case, the same on both databases (byte order on SQLite, collation on PostgreSQL
    // would otherwise disagree); the lower() expression indexes serve it.
    const col = isStringType(f) ? `lower(${alias}.${q(f.name)})` : `${alias}.${q(f.name)}`;
    parts.push(`${col} ${k.dir.toUpperCase()}${nulls}`);
  }
  if (!keys.some((k) => k.field === 'id')) parts.push(`${alias}.id ${(keys[keys.length - 1]?.dir ?? 'asc').toUpperCase()}`);
  return parts.join(', ');
}

/** `(SELECT COUNT(*) ...)` of the records related to each row through `link` (as seen from `entity`). */
export function compileCount(registry: Registry, entity: string, link: string, where: Where | undefined, kind: DbKind,
  sem: Semantics = {}, alias = 't'): Sql {
  const ref = registry.resolveLink(entity, link);
  if (!ref || !ref.inverse && ref.field.type !== 'links') throw new BadRequestError(`Cannot count through '${link}'.`, 'counts');
  const params: unknown[] = [];
  if (ref.field.type === 'links') {
    if (where) throw new BadRequestError(`Counts through '${link}' take no filter.`, 'counts');
    const [mine] = ref.inverse ? ['to_id'] : ['from_id'];
    params.push(ref.key);
    return { sql: `(SELECT COUNT(*) FROM ${LINK_TABLE} c WHERE c.rel = ? AND c.${mine} = ${alias}.id)`, params };
  }
  let cond = `c.${q(ref.field.name)} = ${alias}.id AND c.deleted_at IS NULL`;
  if (ref.field.type === 'parent') { cond += ` AND c.${q(parentTypeField(ref.field.name))} = ?`; params.push(entity); }
  const w = compileWhere(registry, ref.owner, where, kind, sem, 'c');
  params.push(...w.params);
  return { sql: `(SELECT COUNT(*) FROM ${tableOf(ref.owner)} c WHERE ${cond} AND ${w.sql})`, params };
}
