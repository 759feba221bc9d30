// react-admin list parameters -> the core query (react-admin.md §3.2, §5.2): range, filter, filters, sort, sorts.
import { loadRegistry } from '../../../core/schema/load';
import { BadRequestError } from '../../../core/errors';
import type { Where } from '../../../core/types';
import { parseFilters, parseList, parseRange, parseSort, SEMANTICS, searchText } from '../../../dialects/react-admin/query';
import { resolveResource } from '../../../dialects/react-admin/names';

const registry = loadRegistry();
registry.addField('contact', { name: 'shoe_size', type: 'int', custom: true });
const contacts = resolveResource(registry, 'contacts')!;
const deals = resolveResource(registry, 'deals')!;
const tasks = resolveResource(registry, 'tasks')!;
const notes = resolveResource(registry, 'contact_notes')!;
const users = resolveResource(registry, 'crm_users')!;

const j = (v: unknown) => JSON.stringify(v);
const list = (params: Record<string, unknown>, res = contacts) => parseList(res, params).query;
const whereOf = (params: Record<string, unknown>, res = contacts) => list(params, res).where;

function errorOf(fn: () => unknown): BadRequestError {
  try { fn(); } catch (e) { return e as BadRequestError; }
  throw new Error('no error thrown');
}

describe('defaults', () => {
  test('no parameters: [0,24], id tie-breaker left to the core, live rows, C7 semantics', () => {
    expect(list({})).toEqual({
      where: { and: [] }, sort: [], offset: 0, limit: 25, count: true, deleted: 'exclude', semantics: SEMANTICS,
      links: ['tag_ids'], contactPoints: true,
    });
    expect(SEMANTICS).toEqual({ negationMatchesNull: false, caseInsensitiveEquals: false });
  });
  test('deals load the company name and contact ids', () => {
    expect(list({}, deals)).toMatchObject({ names: ['account_id'], links: ['contact_ids'] });
  });
  test('a note resource is scoped to its parent type', () => {
    expect(whereOf({}, notes)).toEqual({ field: 'parent_type', op: 'eq', value: 'contact' });
  });
});

describe('range', () => {
  test.each<[string, unknown, [number, number] | undefined]>([
    ['ra form', '[0,24]', [0, 24]],
    ['with spaces', '[10, 19]', [10, 19]],
    ['one row', '[5,5]', [5, 5]],
    ['reversed', '[9,0]', undefined],
    ['negative', '[-1,5]', undefined],
    ['three items', '[0,1,2]', undefined],
    ['not integers', '[0.5,3]', undefined],
    ['strings', '["0","9"]', undefined],
    ['malformed JSON', '[0,', undefined],
    ['an object', '{"a":1}', undefined],
    ['repeated (qs array)', ['[0,1]', '[2,3]'], undefined],
  ])('%s', (_n, raw, expected) => {
    expect(parseRange(raw)).toEqual(expected);
  });

  test.each<[string, Record<string, unknown>, { offset: number; limit: number | undefined }]>([
    ['inclusive end', { range: '[10,19]' }, { offset: 10, limit: 10 }],
    ['invalid falls back to [0,24], never a 400', { range: '[oops' }, { offset: 0, limit: 25 }],
    ['no maximum', { range: '[0,99999]' }, { offset: 0, limit: 100000 }],
    ['getMany: filter.id list without range = no limit', { filter: j({ id: [3, 1, 2] }) }, { offset: 0, limit: undefined }],
    ['filter.id list with range keeps the range', { filter: j({ id: [3, 1] }), range: '[0,0]' }, { offset: 0, limit: 1 }],
    ['json-server _start/_end (end exclusive)', { _start: '10', _end: '20' }, { offset: 10, limit: 10 }],
    ['json-server id=1&id=2 without range = no limit', { id: ['1', '2'] }, { offset: 0, limit: undefined }],
  ])('%s', (_n, params, expected) => {
    expect(list(params)).toMatchObject(expected);
  });

  test('start of the page for Content-Range', () => {
    expect(parseList(contacts, { range: '[20,29]' }).start).toBe(20);
  });
});

describe('filter (the legacy object)', () => {
  test.each<[string, Record<string, unknown>, Where]>([
    ['field equality', { last_name: 'Lovelace' }, { field: 'last_name', op: 'eq', value: 'Lovelace' }],
    ['camelCase key', { lastName: 'Lovelace' }, { field: 'last_name', op: 'eq', value: 'Lovelace' }],
    ['array = IN', { last_name: ['A', 'B'] }, { field: 'last_name', op: 'in', value: ['A', 'B'] }],
    ['null = IS NULL', { title: null }, { field: 'title', op: 'isNull' }],
    ['id list, strings coerced', { id: ['3', 4] }, { field: 'id', op: 'in', value: [3, 4] }],
    ['renamed link (company_id -> account_id)', { company_id: 7 }, { field: 'account_id', op: 'eq', value: 7 }],
    ['bool from a string', { has_newsletter: 'true' }, { field: 'has_newsletter', op: 'eq', value: true }],
    ['tags (links) = linked with', { tags: 5 }, { field: 'tag_ids', op: 'in', value: [5] }],
    ['run-time field under its own name', { shoe_size: '42' }, { field: 'shoe_size', op: 'eq', value: 42 }],
    ['suffix _gte', { last_seen_gte: '2026-01-01T10:00:00Z' }, { field: 'last_seen', op: 'gte', value: '2026-01-01 10:00:00' }],
    ['suffix _neq', { last_name_neq: 'X' }, { field: 'last_name', op: 'ne', value: 'X' }],
    ['date-only on a datetime = the whole day', { last_seen: '2026-03-04' }, { field: 'last_seen', op: 'between', value: ['2026-03-04 00:00:00', '2026-03-04 23:59:59'] }],
    ['unknown keys ignored', { nonsense: 1, 'last_name = 1 OR 1': 2 }, { and: [] }],
    ['injection in a value stays a value', { last_name: "x' OR 1=1 --" }, { field: 'last_name', op: 'eq', value: "x' OR 1=1 --" }],
  ])('%s', (_n, filter, expected) => {
    expect(whereOf({ filter: j(filter) })).toEqual(expected);
  });

  test('q = OR of contains over the searchable fields', () => {
    expect(whereOf({ filter: j({ q: 'ada' }) })).toEqual({
      or: [
        { field: 'first_name', op: 'contains', value: 'ada' },
        { field: 'last_name', op: 'contains', value: 'ada' },
        { field: 'emails', op: 'contains', value: 'ada' },
      ],
    });
  });

  test('q plus a field: both', () => {
    const w = whereOf({ filter: j({ q: 'x', company_id: 2 }) }) as { and: Where[] };
    expect(w.and).toHaveLength(2);
  });

  test('deals: status in by Atomic slug, stage canonical', () => {
    expect(whereOf({ filter: j({ status: 'won' }) }, deals)).toEqual({ field: 'stage', op: 'eq', value: 'Closed Won' });
    expect(whereOf({ filter: j({ status: ['proposal-sent', 'Negotiation'] }) }, deals)).toEqual({ field: 'stage', op: 'in', value: ['Proposal', 'Negotiation'] });
  });

  test('include_archived shows soft-deleted rows', () => {
    expect(list({ filter: j({ include_archived: true }) }, deals).deleted).toBe('include');
    expect(list({ filter: j({ include_archived: 'yes' }) }, deals).deleted).toBe('exclude');
  });

  test('tasks: type and deal_id', () => {
    expect(whereOf({ filter: j({ type: 'call' }) }, tasks)).toEqual({ and: [{ field: 'type', op: 'isNull' }, { field: 'kind', op: 'eq', value: 'call' }] });
    expect(whereOf({ filter: j({ type: 'demo' }) }, tasks)).toEqual({ field: 'type', op: 'eq', value: 'Demo' });
    expect(whereOf({ filter: j({ deal_id: 9 }) }, tasks)).toEqual({ and: [{ field: 'parent_type', op: 'eq', value: 'opportunity' }, { field: 'parent_id', op: 'eq', value: 9 }] });
  });

  test('crm_users: disabled is the inverse of is_active', () => {
    expect(whereOf({ filter: j({ disabled: true }) }, users)).toEqual({ field: 'is_active', op: 'eq', value: false });
  });

  test('the qs bracket form filter[q]=x is read too', () => {
    expect(searchText({ filter: { q: 'x' } })).toBe('x');
    expect(whereOf({ filter: { last_name: 'A' } })).toEqual({ field: 'last_name', op: 'eq', value: 'A' });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['malformed JSON', { filter: '{"q":' }, 'Invalid filter'],
    ['not an object', { filter: '[1,2]' }, 'Invalid filter'],
    ['wrong type for a number field', { filter: j({ shoe_size: 'big' }) }, "Invalid filter value for 'shoe_size'"],
    ['wrong type for an id', { filter: j({ company_id: 'acme' }) }, "Invalid filter value for 'company_id'"],
    ['an object as a value', { filter: j({ last_name: { $ne: 1 } }) }, "Invalid filter value for 'last_name'"],
    ['bad date', { filter: j({ last_seen: '2026-13-45' }) }, "Invalid filter value for 'last_seen'"],
  ])('400: %s', (_n, params, message) => {
    const e = errorOf(() => list(params));
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.message).toContain(message);
  });
});

describe('filters (the array, left fold)', () => {
  const f = (field: string, op: string, value?: unknown, logicalOp?: string) => ({ field, op, value, logicalOp });
  const ops: [string, string, unknown, Where][] = [
    ['eq', 'last_name', 'Ng', { field: 'last_name', op: 'eq', value: 'Ng' }],
    ['neq', 'last_name', 'Ng', { field: 'last_name', op: 'ne', value: 'Ng' }],
    ['gt', 'shoe_size', '40', { field: 'shoe_size', op: 'gt', value: 40 }],
    ['gte', 'shoe_size', 40, { field: 'shoe_size', op: 'gte', value: 40 }],
    ['lt', 'last_seen', '2026-01-01T00:00:00+02:00', { field: 'last_seen', op: 'lt', value: '2025-12-31 22:00:00' }],
    ['lte', 'last_seen', '2026-01-01', { field: 'last_seen', op: 'lte', value: '2026-01-01 23:59:59' }],
    ['contains', 'email', '@acme', { field: 'email', op: 'contains', value: '@acme' }],
    ['like', 'email', '@acme', { field: 'email', op: 'contains', value: '@acme' }],
    ['not_contains', 'email', '@acme', { field: 'email', op: 'notContains', value: '@acme' }],
    ['nlike', 'email', '@acme', { field: 'email', op: 'notContains', value: '@acme' }],
    ['starts_with', 'last_name', 'Lo', { field: 'last_name', op: 'startsWith', value: 'Lo' }],
    ['startsWith', 'last_name', 'Lo', { field: 'last_name', op: 'startsWith', value: 'Lo' }],
    ['is_empty', 'title', undefined, { field: 'title', op: 'isNull' }],
    ['blank', 'title', undefined, { field: 'title', op: 'isNull' }],
    ['is_not_empty', 'title', undefined, { field: 'title', op: 'isNotNull' }],
    ['notblank', 'title', undefined, { field: 'title', op: 'isNotNull' }],
    ['eq', 'has_newsletter', true, { field: 'has_newsletter', op: 'eq', value: true }],
  ];
  test.each(ops)('%s', (op, field, value, expected) => {
    expect(parseFilters(contacts, j([f(field, op, value)])).where).toEqual(expected);
  });

  test('left fold: [a, b{or}, c{and}] = ((a OR b) AND c); element 0 logicalOp ignored', () => {
    const a = f('first_name', 'eq', 'A', 'or');
    const b = f('last_name', 'eq', 'B', 'or');
    const c = f('title', 'eq', 'C', 'and');
    expect(parseFilters(contacts, j([a, b, c])).where).toEqual({
      and: [{ or: [{ field: 'first_name', op: 'eq', value: 'A' }, { field: 'last_name', op: 'eq', value: 'B' }] }, { field: 'title', op: 'eq', value: 'C' }],
    });
  });

  test.each<[string, unknown]>([
    ['unknown field', f('nonsense', 'eq', 'x')],
    ['unknown op', f('last_name', 'regex', 'x')],
    ['missing value', f('last_name', 'eq')],
    ['null value', f('last_name', 'eq', null)],
    ['object value', f('last_name', 'eq', { a: 1 })],
    ['not an object', 'last_name'],
    ['no field', { op: 'eq', value: 'x' }],
  ])('invalid element skipped: %s', (_n, el) => {
    expect(parseFilters(contacts, j([el, f('last_name', 'eq', 'Ng')])).where).toEqual({ field: 'last_name', op: 'eq', value: 'Ng' });
  });

  test.each<[string, unknown, string]>([
    ['malformed JSON', '[{"field":', 'Invalid filters'],
    ['not an array', '{"field":"a"}', 'Invalid filters'],
    ['contains on a number field', j([f('shoe_size', 'contains', '4')]), "'contains' applies to text fields only"],
    ['a word for a number', j([f('shoe_size', 'gt', 'big')]), "Invalid filter value for 'shoe_size'"],
  ])('400: %s', (_n, raw, message) => {
    expect(errorOf(() => parseFilters(contacts, raw)).message).toContain(message);
  });

  test('filter and filters combine with AND', () => {
    expect(whereOf({ filter: j({ company_id: 1 }), filters: j([f('last_name', 'eq', 'Ng')]) })).toEqual({
      and: [{ field: 'account_id', op: 'eq', value: 1 }, { field: 'last_name', op: 'eq', value: 'Ng' }],
    });
  });

  test('a condition on archived_at reads archived rows too', () => {
    expect(list({ filters: j([f('archived_at', 'is_not_empty')]) }, deals).deleted).toBe('include');
  });
});

describe('sort', () => {
  test.each<[string, Record<string, unknown>, { field: string; dir: string }[]]>([
    ['JSON array as ra sends it', { sort: j(['first_name', 'DESC']) }, [{ field: 'first_name', dir: 'desc' }]],
    ['JSON array, camelCase field', { sort: j(['lastName', 'ASC']) }, [{ field: 'last_name', dir: 'asc' }]],
    ['plain field + order', { sort: 'last_name', order: 'DESC' }, [{ field: 'last_name', dir: 'desc' }]],
    ['plain field, no order = ASC', { sort: 'last_name' }, [{ field: 'last_name', dir: 'asc' }]],
    ['anything but DESC is ASC', { sort: 'last_name', order: 'down' }, [{ field: 'last_name', dir: 'asc' }]],
    ['renamed field', { sort: j(['company_id', 'ASC']) }, [{ field: 'account_id', dir: 'asc' }]],
    ['id', { sort: j(['id', 'DESC']) }, [{ field: 'id', dir: 'desc' }]],
    ['unknown field ignored', { sort: j(['nonsense', 'DESC']) }, []],
    ['injection is an unknown field', { sort: j(['id; DROP TABLE crm_contact; --', 'ASC']) }, []],
    ['injection in order is ASC', { sort: 'last_name', order: 'DESC; DROP TABLE x' }, [{ field: 'last_name', dir: 'asc' }]],
    ['unsortable (a list) ignored', { sort: 'tags' }, []],
    ['sorts multi-column', { sorts: j([{ field: 'last_name', order: 'ASC' }, { field: 'id', order: 'DESC' }]) },
      [{ field: 'last_name', dir: 'asc' }, { field: 'id', dir: 'desc' }]],
    ['sorts: bad order is ASC, no field dropped', { sorts: j([{ field: 'last_name', order: 'sideways' }, { order: 'DESC' }]) },
      [{ field: 'last_name', dir: 'asc' }]],
    ['sorts win over sort', { sorts: j([{ field: 'title', order: 'DESC' }]), sort: 'last_name' }, [{ field: 'title', dir: 'desc' }]],
    ['empty sorts fall back to sort', { sorts: '[]', sort: 'last_name' }, [{ field: 'last_name', dir: 'asc' }]],
    ['json-server _sort/_order', { _sort: 'last_name,first_name', _order: 'desc,asc' }, [{ field: 'last_name', dir: 'desc' }, { field: 'first_name', dir: 'asc' }]],
  ])('%s', (_n, params, expected) => {
    expect(parseSort(contacts, params)).toEqual(expected);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['malformed JSON array', { sort: '["first_name",' }, 'Invalid sort'],
    ['malformed sorts', { sorts: '[{' }, 'Invalid sorts'],
    ['sorts not an array', { sorts: '{"field":"id"}' }, 'Invalid sorts'],
    ['repeated sort', { sort: ['a', 'b'] }, 'Invalid sort'],
  ])('400: %s', (_n, params, message) => {
    expect(errorOf(() => parseSort(contacts, params)).message).toContain(message);
  });
});
