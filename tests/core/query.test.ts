// The query tree compiler against a real store (SQLite here; PostgreSQL when TEST_DATABASE_URL is set).
import { makeCore, TestCore } from '../helpers/core';
import type { Query, Semantics, Where } from '../../core/types';
import { BadRequestError } from '../../core/errors';

let t: TestCore;
const id: Record<string, number> = {};

beforeAll(async () => {
  t = await makeCore();
  const { core, ctx } = t;
  const acme = await core.create('account', { name: 'Acme', industry: 'Software', employees: 50, type: 'Customer' }, ctx);
  const bolt = await core.create('account', { name: 'Bolt Ltd', industry: 'Finance', employees: 5 }, ctx);
  const zed = await core.create('account', { name: 'zed 100% Co_op', industry: null, employees: null }, ctx);
  Object.assign(id, { acme: acme.id, bolt: bolt.id, zed: zed.id });
  const ann = await core.create('contact', { first_name: 'Ann', last_name: 'Lee', account_id: acme.id, emails: [{ address: 'Ann@Acme.com' }, { address: 'ann@home.org' }], do_not_call: true, birthday: '1990-05-04' }, ctx);
  const bob = await core.create('contact', { first_name: 'Bob', last_name: 'Stone', account_id: bolt.id, email: 'bob@bolt.io', do_not_call: false, birthday: '1985-01-31' }, ctx);
  const cy = await core.create('contact', { first_name: 'Cy', last_name: 'lee', phone_mobile: '+1 555 0100' }, ctx);
  Object.assign(id, { ann: ann.id, bob: bob.id, cy: cy.id });
  const o1 = await core.create('opportunity', { name: 'Big', amount: 5000, account_id: acme.id, stage: 'Proposal', close_date: '2026-03-01', contact_ids: [ann.id, bob.id] }, ctx);
  const o2 = await core.create('opportunity', { name: 'Small', amount: 100, account_id: acme.id, stage: 'Closed Won', close_date: '2026-06-30', contact_ids: [ann.id] }, ctx);
  Object.assign(id, { o1: o1.id, o2: o2.id });
  const call = await core.create('activity', { kind: 'call', name: 'Intro call', parent_type: 'account', parent_id: bolt.id }, ctx);
  const task = await core.create('activity', { name: 'Follow up', parent_type: 'contact', parent_id: bolt.id === 0 ? 0 : ann.id }, ctx);
  Object.assign(id, { call: call.id, task: task.id });
});
afterAll(() => t.close());

async function ids(entity: string, where: Where, semantics?: Semantics, extra: Partial<Query> = {}): Promise<number[]> {
  const r = await t.core.find(entity, { where, semantics, sort: [{ field: 'id', dir: 'asc' }], select: ['id'], ...extra }, t.ctx);
  return r.records.map((x) => x.id);
}
const names = (...keys: string[]) => keys.map((k) => id[k]);

describe('leaf operators', () => {
  const cases: [string, Where, string[], Semantics?][] = [
    ['eq string', { field: 'name', op: 'eq', value: 'Acme' }, ['acme']],
    ['eq is case-sensitive by default', { field: 'name', op: 'eq', value: 'acme' }, []],
    ['eq case-insensitive when asked', { field: 'name', op: 'eq', value: 'acme' }, ['acme'], { caseInsensitiveEquals: true }],
    ['eq null is IS NULL', { field: 'industry', op: 'eq', value: null }, ['zed']],
    ['ne leaves NULL out', { field: 'industry', op: 'ne', value: 'Software' }, ['bolt']],
    ['ne keeps NULL when the dialect says so', { field: 'industry', op: 'ne', value: 'Software' }, ['bolt', 'zed'], { negationMatchesNull: true }],
    ['gt number', { field: 'employees', op: 'gt', value: 5 }, ['acme']],
    ['gte number from a string', { field: 'employees', op: 'gte', value: '5' }, ['acme', 'bolt']],
    ['lt', { field: 'employees', op: 'lt', value: 50 }, ['bolt']],
    ['lte', { field: 'employees', op: 'lte', value: 50 }, ['acme', 'bolt']],
    ['in', { field: 'industry', op: 'in', value: ['Finance', 'Software'] }, ['acme', 'bolt']],
    ['in with null', { field: 'industry', op: 'in', value: ['Finance', null] }, ['bolt', 'zed']],
    ['in empty matches nothing', { field: 'industry', op: 'in', value: [] }, []],
    ['nin', { field: 'industry', op: 'nin', value: ['Finance'] }, ['acme']],
    ['nin empty matches everything', { field: 'industry', op: 'nin', value: [] }, ['acme', 'bolt', 'zed']],
    ['between inclusive', { field: 'employees', op: 'between', value: [5, 49] }, ['bolt']],
    ['contains is case-insensitive', { field: 'name', op: 'contains', value: 'LT' }, ['bolt']],
    ['contains escapes % and _', { field: 'name', op: 'contains', value: '100%' }, ['zed']],
    ['contains with _ literal', { field: 'name', op: 'contains', value: 'o_o' }, ['zed']],
    ['raw patterns let % act', { field: 'name', op: 'contains', value: 'A%e' }, ['acme'], { rawLikePatterns: true }],
    ['case-sensitive contains', { field: 'name', op: 'contains', value: 'acme' }, [], { caseSensitiveLike: true }],
    ['case-sensitive contains hit', { field: 'name', op: 'contains', value: 'Acm' }, ['acme'], { caseSensitiveLike: true }],
    ['notContains', { field: 'name', op: 'notContains', value: 'a' }, ['bolt', 'zed']],
    ['startsWith', { field: 'name', op: 'startsWith', value: 'bo' }, ['bolt']],
    ['endsWith', { field: 'name', op: 'endsWith', value: 'ME' }, ['acme']],
    ['like', { field: 'name', op: 'like', value: '%l_ Ltd' }, ['bolt']],
    ['notLike', { field: 'name', op: 'notLike', value: '%Ltd' }, ['acme', 'zed']],
    ['isNull', { field: 'employees', op: 'isNull' }, ['zed']],
    ['isNotNull', { field: 'employees', op: 'isNotNull' }, ['acme', 'bolt']],
    ['injection text is only a value', { field: 'name', op: 'eq', value: "' OR 1=1 --" }, []],
  ];
  // A rest parameter: a fourth named parameter would make jest wait for a `done` callback.
  test.each(cases)('%s', async (_n, where, expected, ...sem) => {
    expect(await ids('account', where, sem[0])).toEqual(names(...expected));
  });
});

describe('groups, links and contact points', () => {
  const cases: [string, string, Where, string[]][] = [
    ['and', 'account', { and: [{ field: 'employees', op: 'gt', value: 1 }, { field: 'industry', op: 'eq', value: 'Finance' }] }, ['bolt']],
    ['or', 'account', { or: [{ field: 'name', op: 'eq', value: 'Acme' }, { field: 'employees', op: 'isNull' }] }, ['acme', 'zed']],
    ['empty and is true', 'account', { and: [] }, ['acme', 'bolt', 'zed']],
    ['empty or is false', 'account', { or: [] }, []],
    ['not', 'account', { not: { field: 'name', op: 'eq', value: 'Acme' } }, ['bolt', 'zed']],
    ['nested three deep', 'account', { or: [{ and: [{ field: 'name', op: 'startsWith', value: 'A' }, { not: { field: 'employees', op: 'lt', value: 10 } }] }, { field: 'name', op: 'startsWith', value: 'z' }] }, ['acme', 'zed']],
    ['link forward (foreign key)', 'contact', { link: 'contact.account_id', op: 'linkedWith', value: [0] }, []],
    ['link inverse foreign key', 'account', { link: 'opportunity.account_id', op: 'isLinked' }, ['acme']],
    ['link inverse not linked', 'account', { link: 'opportunity.account_id', op: 'isNotLinked' }, ['bolt', 'zed']],
    ['links forward', 'opportunity', { link: 'opportunity.contact_ids', op: 'linkedWith', value: [-1] }, []],
    ['emails: any address, any case', 'contact', { field: 'emails', op: 'eq', value: 'ANN@HOME.ORG' }, ['ann']],
    ['emails contains', 'contact', { field: 'emails', op: 'contains', value: 'bolt' }, ['bob']],
    ['email slot 0 column', 'contact', { field: 'email', op: 'eq', value: 'bob@bolt.io' }, ['bob']],
    ['email_2 slot', 'contact', { field: 'email_2', op: 'isNotNull' }, ['ann']],
    ['phones', 'contact', { field: 'phones', op: 'eq', value: '+1 555 0100' }, ['cy']],
    ['bool eq', 'contact', { field: 'do_not_call', op: 'eq', value: true }, ['ann']],
    ['bool eq false from string', 'contact', { field: 'do_not_call', op: 'eq', value: 'false' }, ['bob']],
    ['date range', 'contact', { field: 'birthday', op: 'between', value: ['1985-01-01', '1989-12-31'] }, ['bob']],
    ['derived person name', 'contact', { field: 'name', op: 'eq', value: 'Ann Lee' }, ['ann']],
  ];
  test.each(cases)('%s', async (_n, entity, where, expected) => {
    expect(await ids(entity, where)).toEqual(names(...expected));
  });

  test('link tests with real ids', async () => {
    expect(await ids('contact', { link: 'contact.account_id', op: 'linkedWith', value: [id.acme] })).toEqual(names('ann'));
    expect(await ids('contact', { link: 'contact.account_id', op: 'notLinkedWith', value: [id.acme] })).toEqual(names('bob', 'cy'));
    expect(await ids('opportunity', { link: 'opportunity.contact_ids', op: 'linkedWith', value: [id.bob] })).toEqual(names('o1'));
    expect(await ids('opportunity', { link: 'opportunity.contact_ids', op: 'linkedWithAll', value: [id.ann, id.bob] })).toEqual(names('o1'));
    expect(await ids('opportunity', { link: 'opportunity.contact_ids', op: 'notLinkedWith', value: [id.bob] })).toEqual(names('o2'));
    expect(await ids('contact', { link: 'opportunity.contact_ids', op: 'linkedWith', value: [id.o2] })).toEqual(names('ann'));
    expect(await ids('contact', { link: 'opportunity.contact_ids', op: 'isNotLinked' })).toEqual(names('cy'));
    expect(await ids('account', { link: 'contact.account_ids', op: 'linkedWith', value: [id.bob] })).toEqual(names('bolt'));
    expect(await ids('opportunity', { field: 'contact_ids', op: 'hasAll', value: [id.ann, id.bob] })).toEqual(names('o1'));
  });

  test('linkedWhere: a related record matches a condition, any direction, nested', async () => {
    expect(await ids('contact', { link: 'contact.account_id', op: 'linkedWhere', where: { field: 'name', op: 'contains', value: 'ACM' } })).toEqual(names('ann'));
    expect(await ids('account', { link: 'opportunity.account_id', op: 'linkedWhere', where: { field: 'stage', op: 'eq', value: 'Closed Won' } })).toEqual(names('acme'));
    expect(await ids('contact', { link: 'opportunity.contact_ids', op: 'linkedWhere', where: { field: 'amount', op: 'gt', value: 1000 } })).toEqual(names('ann', 'bob'));
    expect(await ids('account', { link: 'activity.parent_id', op: 'linkedWhere', where: { field: 'kind', op: 'eq', value: 'call' } })).toEqual(names('bolt'));
    expect(await ids('account', { link: 'contact.account_id', op: 'linkedWhere', where: {
      link: 'opportunity.contact_ids', op: 'linkedWhere', where: { field: 'name', op: 'eq', value: 'Small' } } })).toEqual(names('acme'));
    expect(await ids('contact', { not: { link: 'contact.account_id', op: 'linkedWhere' } })).toEqual(names('cy'));
  });

  test('children through a polymorphic parent', async () => {
    expect(await ids('account', { link: 'activity.parent_id', op: 'isLinked' })).toEqual(names('bolt'));
    expect(await ids('contact', { link: 'activity.parent_id', op: 'linkedWith', value: [id.task] })).toEqual(names('ann'));
    expect(await ids('contact', { link: 'activity.parent_id', op: 'linkedWith', value: [id.call] })).toEqual([]);
    expect(await ids('activity', { link: 'activity.parent_id', op: 'linkedWith', value: [id.bolt] })).toEqual(names('call'));
  });
});

describe('sort, paging, count, select', () => {
  test('multi-key sort with id tie-breaker; text ignores case; NULLs first ascending', async () => {
    const r = await t.core.find('contact', { sort: [{ field: 'last_name', dir: 'asc' }, { field: 'first_name', dir: 'desc' }] }, t.ctx);
    expect(r.records.map((x) => x.first_name)).toEqual(['Cy', 'Ann', 'Bob']); // lee = Lee, then first name descending
    const nulls = await t.core.find('account', { sort: [{ field: 'employees', dir: 'asc' }], select: ['id'] }, t.ctx);
    expect(nulls.records.map((x) => x.id)).toEqual(names('zed', 'bolt', 'acme'));
    const desc = await t.core.find('account', { sort: [{ field: 'employees', dir: 'desc' }], select: ['id'] }, t.ctx);
    expect(desc.records.map((x) => x.id)).toEqual(names('acme', 'bolt', 'zed'));
  });

  test('offset and limit page in SQL; count ignores them', async () => {
    const r = await t.core.find('account', { sort: [{ field: 'name', dir: 'asc' }], offset: 1, limit: 1, count: true }, t.ctx);
    expect(r.total).toBe(3);
    expect(r.records.map((x) => x.name)).toEqual(['Bolt Ltd']);
    const tail = await t.core.find('account', { sort: [{ field: 'name', dir: 'asc' }], offset: 2 }, t.ctx);
    expect(tail.records.map((x) => x.name)).toEqual(['zed 100% Co_op']);
  });

  test('select loads only the named columns (and id)', async () => {
    const r = await t.core.find('account', { select: ['name'], limit: 1 }, t.ctx);
    expect(Object.keys(r.records[0]).sort()).toEqual(['id', 'name']);
  });

  test('counts of related records are sub-selects; a sort may name them', async () => {
    const r = await t.core.find('account', {
      counts: { nb_deals: { link: 'opportunity.account_id' }, nb_won: { link: 'opportunity.account_id', where: { field: 'stage', op: 'eq', value: 'Closed Won' } },
        nb_contacts: { link: 'contact.account_id' }, nb_activities: { link: 'activity.parent_id' } },
      sort: [{ field: 'nb_deals', dir: 'desc' }], select: ['id'], limit: 3, count: true,
    }, t.ctx);
    expect(r.total).toBe(3);
    expect(r.records.map((x) => [x.id, x.nb_deals, x.nb_won, x.nb_contacts, x.nb_activities])).toEqual([
      [id.acme, 2, 1, 1, 0], [id.zed, 0, 0, 0, 0], [id.bolt, 0, 0, 1, 1]]); // ties: id in the last key's direction
    await expect(t.core.find('account', { counts: { n: { link: 'account.campaign_id' } } }, t.ctx)).rejects.toBeInstanceOf(BadRequestError);
  });

  test('names join the linked record title', async () => {
    const r = await t.core.find('contact', { where: { field: 'id', op: 'eq', value: id.ann }, names: ['account_id'] }, t.ctx);
    expect(r.records[0].$names).toEqual({ account_id: 'Acme' });
  });
});

describe('refusals: names never reach SQL unchecked', () => {
  const bad: [string, Query][] = [
    ['unknown field', { where: { field: 'colour', op: 'eq', value: 'red' } }],
    ['field with SQL in it', { where: { field: 'name) OR 1=1 --', op: 'eq', value: 'x' } }],
    ['unknown operator', { where: { field: 'name', op: 'regex' as never, value: 'x' } }],
    ['sort by unknown field', { sort: [{ field: 'name; DROP TABLE crm_account', dir: 'asc' }] }],
    ['bad sort direction', { sort: [{ field: 'name', dir: 'sideways' as never }] }],
    ['number field with text', { where: { field: 'employees', op: 'gt', value: 'ten' } }],
    ['bool field with text', { where: { field: 'do_not_call' as never, op: 'eq', value: 'maybe' } }],
    ['between with one value', { where: { field: 'employees', op: 'between', value: [1] } }],
    ['unknown link', { where: { link: 'account.nothing', op: 'isLinked' } }],
    ['link ids that are not numbers', { where: { link: 'opportunity.account_id', op: 'linkedWith', value: ['x' as never] } }],
    ['select unknown', { select: ['nope'] }],
  ];
  test.each(bad)('%s', async (_n, query) => {
    await expect(t.core.find('account', query, t.ctx)).rejects.toBeInstanceOf(BadRequestError);
    expect(await t.core.count('account', undefined, t.ctx)).toBe(3);
  });
});
