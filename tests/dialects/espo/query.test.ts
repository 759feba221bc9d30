// EspoCRM list parameters -> the core query (espocrm.md §4): paging, order, filters, select, both encodings.
import qs from 'qs';
import { BadRequestError, ForbiddenError } from '../../../core/errors';
import type { Where } from '../../../core/types';
import { ESPO_SEMANTICS, parseWhere } from '../../../dialects/espo/query';
import { errorOf } from '../../helpers/errors';
import { FALSE, list, NOW, registry, TRUE } from './setup';

const url = (query: string) => qs.parse(query, { depth: 10, arrayLimit: 1000, parameterLimit: 1000 }) as Record<string, unknown>;


describe('list parameters', () => {
  test('defaults', () => {
    expect(list('lead', {})).toEqual({
      where: undefined, sort: [{ field: 'created_at', dir: 'desc' }], offset: 0, limit: 200, count: true,
      semantics: ESPO_SEMANTICS, maxSize: 200, noTotal: false, contactPoints: true,
      names: ['created_by', 'modified_by', 'assigned_user_id', 'campaign_id', 'created_account_id', 'created_contact_id', 'created_opportunity_id'],
    });
    expect(ESPO_SEMANTICS).toEqual({ negationMatchesNull: false, caseInsensitiveEquals: true, rawLikePatterns: true });
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['maxSize', { maxSize: '20' }, { maxSize: 20, limit: 20 }],
    ['maxSize 200', { maxSize: '200' }, { maxSize: 200, limit: 200 }],
    ['maxSize intval', { maxSize: 'abc' }, { maxSize: 0, limit: 0 }],
    ['maxSize leading digits', { maxSize: '15abc' }, { maxSize: 15 }],
    ['offset', { offset: '40' }, { offset: 40 }],
    ['offset intval', { offset: 'x' }, { offset: 0 }],
    ['offset negative', { offset: '-5' }, { offset: 0 }],
    ['orderBy only: asc', { orderBy: 'createdAt' }, { sort: [{ field: 'created_at', dir: 'asc' }] }],
    ['orderBy and order', { orderBy: 'status', order: 'DESC' }, { sort: [{ field: 'status', dir: 'desc' }] }],
    ['order only: default field', { order: 'asc' }, { sort: [{ field: 'created_at', dir: 'asc' }] }],
    ['legacy sortBy and asc', { sortBy: 'status', asc: 'false' }, { sort: [{ field: 'status', dir: 'desc' }] }],
    ['legacy asc=true', { sortBy: 'status', asc: 'true' }, { sort: [{ field: 'status', dir: 'asc' }] }],
    ['person name sorts by first then last', { orderBy: 'name' }, { sort: [{ field: 'first_name', dir: 'asc' }, { field: 'last_name', dir: 'asc' }] }],
    ['emailAddress', { orderBy: 'emailAddress', order: 'desc' }, { sort: [{ field: 'email', dir: 'desc' }] }],
    ['link field name sorts by its id', { orderBy: 'assignedUser' }, { sort: [{ field: 'assigned_user_id', dir: 'asc' }] }],
    ['link name attribute', { orderBy: 'assignedUserName' }, { sort: [{ field: 'assigned_user_id', dir: 'asc' }] }],
    ['q forces no total', { q: 'Ann' }, { noTotal: true, count: false }],
  ])('%s', (_name, raw, expected) => {
    expect(list('lead', raw)).toMatchObject(expected);
  });

  test.each<[string, string | undefined, Record<string, unknown>]>([
    ['case', undefined, { sort: [{ field: 'number', dir: 'desc' }] }],
    ['activity', 'call', { sort: [{ field: 'date_start', dir: 'desc' }] }],
    ['activity', 'meeting', { sort: [{ field: 'date_start', dir: 'desc' }] }],
    ['activity', 'task', { sort: [{ field: 'created_at', dir: 'desc' }] }],
    ['email', undefined, { sort: [{ field: 'date_sent', dir: 'desc' }], noTotal: true, count: false }],
    ['user', undefined, { sort: [{ field: 'user_name', dir: 'asc' }] }],
    ['team', undefined, { sort: [{ field: 'name', dir: 'asc' }] }],
    ['opportunity_line', undefined, { sort: [{ field: 'created_at', dir: 'desc' }] }],
  ])('default order of %s %s', (entity, kind, expected) => {
    expect(list(entity, {}, kind)).toMatchObject(expected);
  });

  test('orderBy on a parent sorts by its type; on Case the default field takes `order`', () => {
    expect(list('activity', { orderBy: 'parent' }, 'task').sort).toEqual([{ field: 'parent_type', dir: 'asc' }]);
    expect(list('case', { order: 'asc' }).sort).toEqual([{ field: 'number', dir: 'asc' }]);
    expect(list('contact', { orderBy: 'account' }).sort).toEqual([{ field: 'account_id', dir: 'asc' }]);
  });

  test('X-No-Total', () => {
    expect(list('lead', {}, undefined, { noTotal: true })).toMatchObject({ noTotal: true, count: false });
  });

  test('maxSize over 200 is 403', () => {
    const e = errorOf(() => list('lead', { maxSize: '201' }));
    expect(e).toBeInstanceOf(ForbiddenError);
    expect((e as Error).message).toBe('Max size should not exceed 200. Use offset and limit.');
    expect(errorOf(() => list('lead', { searchParams: '{"maxSize":500}' }))).toBeInstanceOf(ForbiddenError);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['unknown orderBy', { orderBy: 'colour' }, "Order by non-existing field 'colour'."],
    ['orderBy injection', { orderBy: 'name;DROP TABLE contact' }, "Order by non-existing field 'name;DROP TABLE contact'."],
    ['orderBy injection 2', { orderBy: 'createdAt DESC, (SELECT 1)' }, "Order by non-existing field 'createdAt DESC, (SELECT 1)'."],
    ['orderBy dotted', { orderBy: 'account.name' }, "Order by non-existing field 'account.name'."],
    ['orderBy proto', { orderBy: '__proto__' }, "Order by non-existing field '__proto__'."],
    ['orderBy toString', { orderBy: 'toString' }, "Order by non-existing field 'toString'."],
    ['orderBy a links field', { orderBy: 'teamsIds' }, "Order by non-existing field 'teamsIds'."],
    ['orderBy an array', { orderBy: ['name'] }, `Order by non-existing field '["name"]'.`],
    ['bad order', { order: 'up' }, 'order value is bad.'],
    ['bad order injection', { order: 'asc; DROP TABLE lead' }, 'order value is bad.'],
    ['maxSize array', { maxSize: ['1'] }, 'maxSize must be integer.'],
    ['offset object', { offset: { a: '1' } }, 'offset should be int.'],
    ['unknown primary filter', { primaryFilter: 'x' }, "No primary filter 'x' for 'Lead'."],
    ['prototype primary filter', { primaryFilter: 'constructor' }, "No primary filter 'constructor' for 'Lead'."],
    ['unknown bool filter', { boolFilterList: ['x'] }, "No bool filter 'x' for 'Lead'."],
    ['bad searchParams JSON', { searchParams: '{"where":[' }, 'Invalid search params JSON.'],
    ['searchParams not an object', { searchParams: '[1]' }, 'Invalid search params JSON.'],
    ['searchParams as a qs object', { searchParams: { where: [] } }, 'Invalid search params JSON.'],
    ['searchParams select string', { searchParams: '{"select":"name"}' }, 'select should be array.'],
    ['searchParams maxSize string', { searchParams: '{"maxSize":"20"}' }, 'maxSize must be integer.'],
    ['searchParams maxSize float', { searchParams: '{"maxSize":2.5}' }, 'maxSize must be integer.'],
    ['searchParams offset', { searchParams: '{"offset":"ten"}' }, 'offset should be int.'],
    ['searchParams where', { searchParams: '{"where":{"type":"isNull"}}' }, 'where should be array.'],
    ['searchParams order', { searchParams: '{"order":"sideways"}' }, 'order value is bad.'],
    ['where in the query string', { where: [{ type: 'equals', attribute: 'colour', value: 'red' }] }, "Not existing attribute 'colour' in where."],
  ])('%s', (_name, raw, message) => {
    const e = errorOf(() => list('lead', raw));
    expect(e).toBeInstanceOf(BadRequestError);
    expect((e as Error).message).toBe(message);
  });

  test('primary filters are per Espo type', () => {
    expect((errorOf(() => list('activity', { primaryFilter: 'planned' }, 'task')) as Error).message).toBe("No primary filter 'planned' for 'Task'.");
    expect((errorOf(() => list('activity', { primaryFilter: 'completed' }, 'call')) as Error).message).toBe("No primary filter 'completed' for 'Call'.");
    expect((errorOf(() => list('activity', { boolFilterList: ['x'] }, 'meeting')) as Error).message).toBe("No bool filter 'x' for 'Meeting'.");
  });
});

describe('text filter', () => {
  test.each<[string, string | undefined, string, Where]>([
    ['account', undefined, 'Acme', { or: [{ field: 'name', op: 'startsWith', value: 'Acme' }, { field: 'emails', op: 'startsWith', value: 'acme' }] }],
    ['account', undefined, 'Ac me', { or: [{ field: 'name', op: 'startsWith', value: 'Ac me' }] }],
    ['account', undefined, '*cme', { or: [{ field: 'name', op: 'like', value: '%cme' }, { field: 'emails', op: 'like', value: '%cme' }] }],
    ['lead', undefined, 'Ann', { or: [{ field: 'first_name', op: 'startsWith', value: 'Ann' }, { field: 'last_name', op: 'startsWith', value: 'Ann' },
      { field: 'name', op: 'startsWith', value: 'Ann' }, { field: 'account_name', op: 'startsWith', value: 'Ann' },
      { field: 'emails', op: 'startsWith', value: 'ann' }] }],
    ['case', undefined, 'disk', { or: [{ field: 'name', op: 'startsWith', value: 'disk' }, { field: 'description', op: 'contains', value: 'disk' }] }],
    ['case', undefined, '42', { or: [{ field: 'name', op: 'startsWith', value: '42' }, { field: 'number', op: 'eq', value: 42 },
      { field: 'description', op: 'startsWith', value: '42' }] }],
    ['opportunity', undefined, '50%', { or: [{ field: 'name', op: 'startsWith', value: '50%' }] }],
    ['email', undefined, 'Invoice', { or: [{ field: 'subject', op: 'startsWith', value: 'Invoice' }, { field: 'body', op: 'contains', value: 'Invoice' }] }],
    ['user', undefined, 'adm', { or: [{ field: 'first_name', op: 'startsWith', value: 'adm' }, { field: 'last_name', op: 'startsWith', value: 'adm' },
      { field: 'name', op: 'startsWith', value: 'adm' }, { field: 'user_name', op: 'startsWith', value: 'adm' }, { field: 'emails', op: 'startsWith', value: 'adm' }] }],
    ['opportunity_line', undefined, 'Wid', { or: [{ field: 'name', op: 'startsWith', value: 'Wid' }] }],
  ])('%s %s %p', (entity, kind, term, expected) => {
    expect(list(entity, { textFilter: term }, kind).where).toEqual(expected);
  });

  test('q is the same filter; an empty term filters nothing', () => {
    expect(list('opportunity', { q: 'Big' }).where).toEqual({ or: [{ field: 'name', op: 'startsWith', value: 'Big' }] });
    expect(list('opportunity', { textFilter: '' }).where).toBeUndefined();
  });

  test('an entity without text fields matches nothing', () => {
    expect(list('campaign_member', { textFilter: 'x' }).where).toEqual(FALSE);
  });
});

describe('primary and bool filters', () => {
  test.each<[string, string | undefined, string, Where]>([
    ['lead', undefined, 'actual', { field: 'status', op: 'nin', value: ['Converted', 'Recycled', 'Dead'] }],
    ['lead', undefined, 'active', { field: 'status', op: 'nin', value: ['Converted', 'Recycled', 'Dead'] }],
    ['lead', undefined, 'converted', { field: 'status', op: 'eq', value: 'Converted' }],
    ['opportunity', undefined, 'open', { field: 'stage', op: 'nin', value: ['Closed Won', 'Closed Lost'] }],
    ['opportunity', undefined, 'won', { field: 'stage', op: 'eq', value: 'Closed Won' }],
    ['opportunity', undefined, 'lost', { field: 'stage', op: 'eq', value: 'Closed Lost' }],
    ['case', undefined, 'open', { field: 'status', op: 'nin', value: ['Closed', 'Rejected', 'Duplicate'] }],
    ['case', undefined, 'closed', { field: 'status', op: 'in', value: ['Closed', 'Rejected', 'Duplicate'] }],
    ['account', undefined, 'customers', { field: 'type', op: 'eq', value: 'Customer' }],
    ['account', undefined, 'partners', { field: 'type', op: 'eq', value: 'Partner' }],
    ['account', undefined, 'resellers', { field: 'type', op: 'eq', value: 'Reseller' }],
    ['account', undefined, 'recentlyCreated', { field: 'created_at', op: 'gte', value: '2026-05-06 15:30:45' }],
    ['contact', undefined, 'portalUsers', FALSE],
    ['contact', undefined, 'notPortalUsers', TRUE],
    ['contact', undefined, 'accountActive', { or: [{ field: 'left_company', op: 'isNull' }, { field: 'left_company', op: 'eq', value: false }] }],
    ['document', undefined, 'active', { field: 'status', op: 'eq', value: 'Active' }],
    ['document', undefined, 'draft', { field: 'status', op: 'eq', value: 'Draft' }],
    ['lead', undefined, 'followed', FALSE],
    ['account', undefined, 'starred', FALSE],
  ])('%s %s %s', (entity, kind, name, expected) => {
    expect(list(entity, { primaryFilter: name }, kind).where).toEqual(expected);
  });

  const TASK: Where = { field: 'kind', op: 'in', value: ['task', 'email', 'note'] };
  const CALL: Where = { field: 'kind', op: 'eq', value: 'call' };
  test.each<[string, string, Where]>([
    ['task', 'actual', { and: [TASK, { field: 'status', op: 'nin', value: ['Completed', 'Canceled', 'Deferred'] }] }],
    ['task', 'completed', { and: [TASK, { field: 'status', op: 'eq', value: 'Completed' }] }],
    ['task', 'deferred', { and: [TASK, { field: 'status', op: 'eq', value: 'Deferred' }] }],
    ['task', 'todays', { and: [TASK, { field: 'date_start', op: 'between', value: ['2026-05-13 00:00:00', '2026-05-13 23:59:59'] }] }],
    ['task', 'overdue', { and: [TASK, { and: [{ field: 'date_end', op: 'lt', value: '2026-05-13 15:30:45' },
      { field: 'status', op: 'nin', value: ['Completed', 'Canceled', 'Deferred'] }] }] }],
    ['task', 'actualStartingNotInFuture', { and: [TASK, { and: [{ field: 'status', op: 'nin', value: ['Completed', 'Canceled', 'Deferred'] },
      { or: [{ field: 'date_start', op: 'isNull' }, { field: 'date_start', op: 'lte', value: '2026-05-13 15:30:45' }] }] }] }],
    ['call', 'planned', { and: [CALL, { field: 'status', op: 'eq', value: 'Planned' }] }],
    ['call', 'held', { and: [CALL, { field: 'status', op: 'eq', value: 'Held' }] }],
    ['call', 'todays', { and: [CALL, { field: 'date_start', op: 'between', value: ['2026-05-13 00:00:00', '2026-05-13 23:59:59'] }] }],
    ['meeting', 'planned', { and: [{ field: 'kind', op: 'eq', value: 'meeting' }, { field: 'status', op: 'eq', value: 'Planned' }] }],
  ])('%s %s', (kind, name, expected) => {
    expect(list('activity', { primaryFilter: name }, kind).where).toEqual(expected);
  });

  test.each<[string, string | undefined, unknown, number | undefined, Where]>([
    ['lead', undefined, ['onlyMy'], 5, { field: 'assigned_user_id', op: 'eq', value: 5 }],
    ['lead', undefined, 'onlyMy', 5, { field: 'assigned_user_id', op: 'eq', value: 5 }],
    ['lead', undefined, ['onlyMy'], undefined, FALSE],
    ['lead', undefined, ['onlyMy', 'followed'], 5, { or: [{ field: 'assigned_user_id', op: 'eq', value: 5 }, FALSE] }],
    ['lead', undefined, ['shared'], 5, FALSE],
    ['activity', 'call', ['onlyMy'], 5, { and: [CALL, { or: [{ field: 'assigned_user_id', op: 'eq', value: 5 },
      { link: 'activity.attendee_user_ids', op: 'linkedWith', value: [5] }] }] }],
  ])('%s %s %p (user %p)', (entity, kind, boolFilterList, userId, expected) => {
    expect(list(entity, { boolFilterList }, kind, {}, { userId }).where).toEqual(expected);
  });

  test('legacy where items become the named parameters', () => {
    const q = list('lead', { where: [
      { type: 'bool', value: ['onlyMy'] },
      { type: 'primary', value: 'converted' },
      { type: 'textFilter', value: 'Ann' },
      { type: 'equals', attribute: 'source', value: 'Call' },
    ] }, undefined, {}, { userId: 1 });
    expect(q.where).toEqual({ and: [
      { field: 'source', op: 'eq', value: 'Call' },
      { or: [{ field: 'first_name', op: 'startsWith', value: 'Ann' }, { field: 'last_name', op: 'startsWith', value: 'Ann' },
        { field: 'name', op: 'startsWith', value: 'Ann' }, { field: 'account_name', op: 'startsWith', value: 'Ann' },
        { field: 'emails', op: 'startsWith', value: 'ann' }] },
      { field: 'status', op: 'eq', value: 'Converted' },
      { field: 'assigned_user_id', op: 'eq', value: 1 },
    ] });
    expect(parseWhere(registry, 'lead', undefined, [{ type: 'primary', value: 'converted' }], NOW))
      .toEqual({ field: 'status', op: 'eq', value: 'Converted' });
  });
});

describe('query string and searchParams forms', () => {
  test('the PHP bracket encoding as qs parses it', () => {
    const raw = url('maxSize=20&offset=0&orderBy=createdAt&order=desc'
      + '&where[0][type]=isNotNull&where[0][attribute]=assignedUserId'
      + '&where[1][type]=or'
      + '&where[1][value][0][type]=equals&where[1][value][0][attribute]=status&where[1][value][0][value]=New'
      + '&where[1][value][1][type]=in&where[1][value][1][attribute]=source&where[1][value][1][value][0]=Web+Site'
      + '&where[1][value][1][value][1]=Call');
    expect(list('lead', raw)).toMatchObject({
      maxSize: 20, limit: 20, offset: 0, sort: [{ field: 'created_at', dir: 'desc' }],
      where: { and: [
        { field: 'assigned_user_id', op: 'isNotNull' },
        { or: [{ field: 'status', op: 'eq', value: 'New' }, { field: 'source', op: 'in', value: ['Web Site', 'Call'] }] },
      ] },
    });
  });

  test('percent-encoded brackets, dateTime as a string, a long in-list', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `where%5B0%5D%5Bvalue%5D%5B${i}%5D=${(i + 1).toString(16)}`).join('&');
    const raw = url(`where%5B0%5D%5Btype%5D=in&where%5B0%5D%5Battribute%5D=id&${ids}`
      + '&where%5B1%5D%5Btype%5D=today&where%5B1%5D%5Battribute%5D=createdAt&where%5B1%5D%5BdateTime%5D=true');
    const where = list('lead', raw).where as { and: Where[] };
    expect(where.and[0]).toEqual({ field: 'id', op: 'in', value: Array.from({ length: 300 }, (_, i) => i + 1) });
    expect(where.and[1]).toEqual({ field: 'created_at', op: 'between', value: ['2026-05-13 00:00:00', '2026-05-13 23:59:59'] });
  });

  test('whereGroup wins over where; attributeSelect over select', () => {
    const q = list('lead', { where: [{ type: 'isNull', attribute: 'status' }], whereGroup: [{ type: 'isNull', attribute: 'source' }],
      select: 'status', attributeSelect: 'source' });
    expect(q.where).toEqual({ field: 'source', op: 'isNull' });
    expect(q.attributes).toContain('source');
    expect(q.attributes).not.toContain('status');
  });

  test('a non-list where is ignored; a qs object of indexes is re-indexed', () => {
    expect(list('lead', { where: 'status=New' }).where).toBeUndefined();
    expect(list('lead', { where: { type: 'isNull', attribute: 'status' } }).where).toBeUndefined();
    expect(list('lead', { where: { 1002: { type: 'isNull', attribute: 'status' }, 1001: { type: 'isNull', attribute: 'source' } } }).where)
      .toEqual({ and: [{ field: 'source', op: 'isNull' }, { field: 'status', op: 'isNull' }] });
  });

  test('searchParams JSON overrides every other parameter', () => {
    const sp = JSON.stringify({
      where: [{ type: 'equals', attribute: 'status', value: 'New' }], maxSize: 5, offset: '10', orderBy: 'status', order: 'desc',
      select: ['status', 'bogus'], textFilter: 'Ann', primaryFilter: 'actual', boolFilterList: ['onlyMy'],
    });
    const q = list('lead', { searchParams: sp, maxSize: '500', where: [{ type: 'bogus' }], orderBy: 'nothing' }, undefined, {}, { userId: 3 });
    expect(q).toMatchObject({ maxSize: 5, limit: 5, offset: 10, sort: [{ field: 'status', dir: 'desc' }], count: true });
    expect(q.attributes).toEqual(['status', 'id', 'assignedUserId', 'createdById']);
    expect(q.where).toEqual({ and: [
      { field: 'status', op: 'eq', value: 'New' },
      { or: [{ field: 'first_name', op: 'startsWith', value: 'Ann' }, { field: 'last_name', op: 'startsWith', value: 'Ann' },
        { field: 'name', op: 'startsWith', value: 'Ann' }, { field: 'account_name', op: 'startsWith', value: 'Ann' },
        { field: 'emails', op: 'startsWith', value: 'ann' }] },
      { field: 'status', op: 'nin', value: ['Converted', 'Recycled', 'Dead'] },
      { field: 'assigned_user_id', op: 'eq', value: 3 },
    ] });
  });

  test('searchParams q forces no total; defaults apply', () => {
    expect(list('lead', { searchParams: '{"q":"Ann"}' })).toMatchObject({ noTotal: true, maxSize: 200, offset: 0 });
    expect(list('lead', { searchParams: '{}' })).toMatchObject({ maxSize: 200, sort: [{ field: 'created_at', dir: 'desc' }] });
  });
});

describe('select', () => {
  test('attributes map to fields, names, links and contact points; unknown ones are dropped', () => {
    const q = list('contact', { select: 'name,accountName,teamsIds,accountsIds,accountsNames,emailAddressData,bogus,firstName' });
    expect(q.attributes).toEqual(['name', 'accountName', 'teamsIds', 'accountsIds', 'accountsNames', 'emailAddressData', 'firstName', 'id',
      'assignedUserId', 'createdById', 'accountId', 'createdAt']);
    expect(q.select).toEqual(expect.arrayContaining(['id', 'name', 'account_id', 'first_name', 'assigned_user_id', 'created_by', 'created_at']));
    expect(q.select).not.toContain('account_ids');
    expect(q.names).toEqual(expect.arrayContaining(['account_id', 'account_ids', 'assigned_user_id', 'created_by']));
    expect(q.links).toEqual(['team_ids', 'account_ids']);
    expect(q.contactPoints).toBe(true);
  });

  test('the order attribute is always selected; parents bring their type', () => {
    const q = list('activity', { select: 'parentId', orderBy: 'dateEnd' }, 'task');
    expect(q.select).toEqual(expect.arrayContaining(['parent_id', 'parent_type', 'date_end']));
    expect(q.attributes).toEqual(['parentId', 'id', 'assignedUserId', 'createdById', 'dateEnd']);
    expect(q.links).toBe(false);
    expect(q.contactPoints).toBeUndefined();
  });

  test('select given as a searchParams array or a qs array', () => {
    expect(list('account', { searchParams: '{"select":["name","deleted"]}' }).select).toEqual(expect.arrayContaining(['name', 'deleted_at']));
    expect(list('account', { select: ['name', 'website'] }).attributes).toEqual(expect.arrayContaining(['name', 'website']));
  });
});
