// EspoCRM where items -> the core query tree (espocrm.md §5): every type, nesting, dates, errors, injection.
import { BadRequestError } from '../../../core/errors';
import type { Where } from '../../../core/types';
import { parseWhere, type ListOptions } from '../../../dialects/espo/query';
import { errorOf } from '../../helpers/errors';
import { FALSE, list, NOW, registry, TRUE } from './setup';

const one = (entity: string, item: unknown, opts: ListOptions = {}) =>
  parseWhere(registry, entity, undefined, [item], opts.now ?? NOW, opts);


describe('where items', () => {
  test.each<[string, string, Record<string, unknown>, Where]>([
    ['equals', 'lead', { type: 'equals', attribute: 'status', value: 'New' }, { field: 'status', op: 'eq', value: 'New' }],
    ['equals via `field`', 'lead', { type: 'equals', field: 'status', value: 'New' }, { field: 'status', op: 'eq', value: 'New' }],
    ['equals array = in', 'lead', { type: 'equals', attribute: 'status', value: ['New', 'Dead'] }, { field: 'status', op: 'in', value: ['New', 'Dead'] }],
    ['equals null', 'lead', { type: 'equals', attribute: 'status', value: null }, { field: 'status', op: 'isNull' }],
    ['equals empty', 'lead', { type: 'equals', attribute: 'status', value: '' }, { field: 'status', op: 'isNull' }],
    ['notEquals', 'lead', { type: 'notEquals', attribute: 'status', value: 'New' }, { field: 'status', op: 'ne', value: 'New' }],
    ['notEquals null', 'lead', { type: 'notEquals', attribute: 'status' }, { field: 'status', op: 'isNotNull' }],
    ['notEquals array', 'lead', { type: 'notEquals', attribute: 'status', value: ['New'] }, { field: 'status', op: 'nin', value: ['New'] }],
    ['in', 'lead', { type: 'in', attribute: 'source', value: ['Web Site', 'Call'] }, { field: 'source', op: 'in', value: ['Web Site', 'Call'] }],
    ['in empty', 'lead', { type: 'in', attribute: 'source', value: [] }, FALSE],
    ['in missing value', 'lead', { type: 'in', attribute: 'source' }, FALSE],
    ['notIn', 'lead', { type: 'notIn', attribute: 'source', value: ['Call'] }, { field: 'source', op: 'nin', value: ['Call'] }],
    ['notIn empty', 'lead', { type: 'notIn', attribute: 'source', value: [] }, TRUE],
    ['greaterThan number', 'lead', { type: 'greaterThan', attribute: 'opportunityAmount', value: '100' }, { field: 'opportunity_amount', op: 'gt', value: 100 }],
    ['lessThan float', 'opportunity', { type: 'lessThan', attribute: 'probability', value: '12.5' }, { field: 'probability', op: 'lt', value: 12.5 }],
    ['greaterThanOrEquals', 'opportunity', { type: 'greaterThanOrEquals', attribute: 'amount', value: 5 }, { field: 'amount', op: 'gte', value: 5 }],
    ['lessThanOrEquals', 'case', { type: 'lessThanOrEquals', attribute: 'number', value: '-3' }, { field: 'number', op: 'lte', value: -3 }],
    ['greaterThan null', 'opportunity', { type: 'greaterThan', attribute: 'amount', value: null }, FALSE],
    ['isNull', 'lead', { type: 'isNull', attribute: 'assignedUserId' }, { field: 'assigned_user_id', op: 'isNull' }],
    ['isNotNull', 'lead', { type: 'isNotNull', attribute: 'assignedUserId' }, { field: 'assigned_user_id', op: 'isNotNull' }],
    ['ever', 'lead', { type: 'ever', attribute: 'convertedAt' }, { field: 'converted_at', op: 'isNotNull' }],
    ['isTrue', 'lead', { type: 'isTrue', attribute: 'doNotCall' }, { field: 'do_not_call', op: 'eq', value: true }],
    ['isFalse', 'lead', { type: 'isFalse', attribute: 'doNotCall' }, { field: 'do_not_call', op: 'eq', value: false }],
    ['bool "1"', 'lead', { type: 'equals', attribute: 'doNotCall', value: '1' }, { field: 'do_not_call', op: 'eq', value: true }],
    ['bool "True"', 'lead', { type: 'equals', attribute: 'doNotCall', value: 'True' }, { field: 'do_not_call', op: 'eq', value: true }],
    ['bool "0"', 'lead', { type: 'equals', attribute: 'doNotCall', value: '0' }, { field: 'do_not_call', op: 'eq', value: false }],
    ['bool "false"', 'lead', { type: 'equals', attribute: 'doNotCall', value: 'false' }, { field: 'do_not_call', op: 'eq', value: false }],
    ['bool ""', 'lead', { type: 'equals', attribute: 'doNotCall', value: '' }, { field: 'do_not_call', op: 'eq', value: false }],
    ['bool true', 'lead', { type: 'equals', attribute: 'doNotCall', value: true }, { field: 'do_not_call', op: 'eq', value: true }],
    ['like', 'lead', { type: 'like', attribute: 'accountName', value: 'Ac%e' }, { field: 'account_name', op: 'like', value: 'Ac%e' }],
    ['notLike', 'lead', { type: 'notLike', attribute: 'accountName', value: '%x' }, { field: 'account_name', op: 'notLike', value: '%x' }],
    ['contains', 'account', { type: 'contains', attribute: 'name', value: 'cm' }, { field: 'name', op: 'contains', value: 'cm' }],
    ['notContains', 'account', { type: 'notContains', attribute: 'name', value: 'cm' }, { field: 'name', op: 'notContains', value: 'cm' }],
    ['startsWith', 'account', { type: 'startsWith', attribute: 'name', value: 'Ac' }, { field: 'name', op: 'startsWith', value: 'Ac' }],
    ['endsWith', 'account', { type: 'endsWith', attribute: 'name', value: 'me' }, { field: 'name', op: 'endsWith', value: 'me' }],
    ['contains number as text', 'account', { type: 'contains', attribute: 'sicCode', value: 12 }, { field: 'sic_code', op: 'contains', value: '12' }],
    ['between numbers', 'opportunity', { type: 'between', attribute: 'amount', value: ['1', '5'] }, { field: 'amount', op: 'between', value: [1, 5] }],
    ['between dates', 'opportunity', { type: 'between', attribute: 'closeDate', value: ['2026-01-01', '2026-12-31'] },
      { field: 'close_date', op: 'between', value: ['2026-01-01', '2026-12-31'] }],
    ['on', 'opportunity', { type: 'on', attribute: 'closeDate', value: '2026-05-04' }, { field: 'close_date', op: 'eq', value: '2026-05-04' }],
    ['notOn', 'opportunity', { type: 'notOn', attribute: 'closeDate', value: '2026-05-04' }, { field: 'close_date', op: 'ne', value: '2026-05-04' }],
    ['before', 'opportunity', { type: 'before', attribute: 'closeDate', value: '2026-05-04' }, { field: 'close_date', op: 'lt', value: '2026-05-04' }],
    ['after', 'opportunity', { type: 'after', attribute: 'closeDate', value: '2026-05-04' }, { field: 'close_date', op: 'gt', value: '2026-05-04' }],
    ['datetime value completed', 'lead', { type: 'after', attribute: 'createdAt', value: '2026-05-04 10:20' }, { field: 'created_at', op: 'gt', value: '2026-05-04 10:20:00' }],
    ['datetime compared to a bare date without dateTime', 'lead', { type: 'after', attribute: 'createdAt', value: '2026-05-04' },
      { field: 'created_at', op: 'gt', value: '2026-05-04' }],
    ['any', 'lead', { type: 'any', attribute: 'status' }, TRUE],
    ['none', 'lead', { type: 'none', attribute: 'status' }, FALSE],
    ['empty and', 'lead', { type: 'and', value: [] }, TRUE],
    ['empty or contributes nothing', 'lead', { type: 'or', value: [] }, TRUE],
    ['or without value', 'lead', { type: 'or' }, TRUE],
    ['enum parent type', 'email', { type: 'equals', attribute: 'parentType', value: 'Account' }, { field: 'parent_type', op: 'eq', value: 'account' }],
    ['enum parent type in', 'email', { type: 'in', attribute: 'parentType', value: ['Account', 'Lead'] }, { field: 'parent_type', op: 'in', value: ['account', 'lead'] }],
    ['id hex', 'lead', { type: 'equals', attribute: 'id', value: '0000000000000001f' }, { field: 'id', op: 'eq', value: 31 }],
    ['id not hex matches nothing', 'lead', { type: 'equals', attribute: 'id', value: 'not-an-id' }, FALSE],
    ['id notEquals not hex', 'lead', { type: 'notEquals', attribute: 'id', value: 'zz' }, { field: 'id', op: 'isNotNull' }],
    ['id in drops non-hex', 'lead', { type: 'in', attribute: 'id', value: ['1f', 'zz'] }, { field: 'id', op: 'in', value: [31] }],
    ['id in only non-hex', 'lead', { type: 'in', attribute: 'id', value: ['zz'] }, FALSE],
    ['id notIn only non-hex', 'lead', { type: 'notIn', attribute: 'id', value: ['zz'] }, { field: 'id', op: 'isNotNull' }],
    ['link id', 'contact', { type: 'equals', attribute: 'accountId', value: '0000000000000000a' }, { field: 'account_id', op: 'eq', value: 10 }],
    ['link id not hex', 'contact', { type: 'equals', attribute: 'accountId', value: 'acme' }, FALSE],
    ['deleted isTrue', 'lead', { type: 'isTrue', attribute: 'deleted' }, { field: 'deleted_at', op: 'isNotNull' }],
    ['deleted equals false', 'lead', { type: 'equals', attribute: 'deleted', value: '0' }, { field: 'deleted_at', op: 'isNull' }],
    ['deleted notEquals true', 'lead', { type: 'notEquals', attribute: 'deleted', value: 'true' }, { field: 'deleted_at', op: 'isNull' }],
    ['injection attempt in a value is just a value', 'account', { type: 'equals', attribute: 'name', value: "x'; DROP TABLE account; --" },
      { field: 'name', op: 'eq', value: "x'; DROP TABLE account; --" }],
  ])('%s', (_name, entity, item, expected) => {
    expect(one(entity, item)).toEqual(expected);
  });

  test('nested and/or at any depth', () => {
    const item = { type: 'or', value: [
      { type: 'and', value: [
        { type: 'equals', attribute: 'status', value: 'New' },
        { type: 'or', value: [
          { type: 'isNull', attribute: 'source' },
          { type: 'and', value: [{ type: 'in', attribute: 'source', value: ['Call'] }, { type: 'isTrue', attribute: 'doNotCall' }] },
        ] },
      ] },
      { type: 'equals', attribute: 'status', value: 'Dead' },
    ] };
    expect(one('lead', item)).toEqual({ or: [
      { and: [
        { field: 'status', op: 'eq', value: 'New' },
        { or: [
          { field: 'source', op: 'isNull' },
          { and: [{ field: 'source', op: 'in', value: ['Call'] }, { field: 'do_not_call', op: 'eq', value: true }] },
        ] },
      ] },
      { field: 'status', op: 'eq', value: 'Dead' },
    ] });
  });

  test('several top-level items are AND-ed', () => {
    expect(parseWhere(registry, 'lead', undefined, [{ type: 'equals', attribute: 'status', value: 'New' },
      { type: 'isNull', attribute: 'source' }], NOW)).toEqual({ and: [{ field: 'status', op: 'eq', value: 'New' }, { field: 'source', op: 'isNull' }] });
    expect(parseWhere(registry, 'lead', undefined, [], NOW)).toEqual(TRUE);
    expect(parseWhere(registry, 'lead', undefined, undefined, NOW)).toEqual(TRUE);
  });

  describe('special attributes', () => {
    test.each<[string, string, Record<string, unknown>, Where]>([
      ['person name equals', 'contact', { type: 'equals', attribute: 'name', value: 'Ann Lee' }, { or: [
        { field: 'first_name', op: 'eq', value: 'Ann Lee' }, { field: 'last_name', op: 'eq', value: 'Ann Lee' },
        { field: 'name', op: 'eq', value: 'Ann Lee' },
        { and: [{ field: 'last_name', op: 'eq', value: 'Ann' }, { field: 'first_name', op: 'eq', value: 'Lee' }] }] }],
      ['person name equals one word', 'lead', { type: 'equals', attribute: 'name', value: 'Lee' }, { or: [
        { field: 'first_name', op: 'eq', value: 'Lee' }, { field: 'last_name', op: 'eq', value: 'Lee' }, { field: 'name', op: 'eq', value: 'Lee' }] }],
      ['person name in matches nothing', 'contact', { type: 'in', attribute: 'name', value: ['Ann Lee'] }, FALSE],
      ['person name notIn matches nothing', 'contact', { type: 'notIn', attribute: 'name', value: ['Ann Lee'] }, FALSE],
      ['person name contains', 'user', { type: 'contains', attribute: 'name', value: 'nn' }, { or: [
        { field: 'first_name', op: 'contains', value: 'nn' }, { field: 'last_name', op: 'contains', value: 'nn' },
        { field: 'name', op: 'contains', value: 'nn' }] }],
      ['person name isNull', 'contact', { type: 'isNull', attribute: 'name' }, { and: [
        { field: 'first_name', op: 'isNull' }, { field: 'last_name', op: 'isNull' }] }],
      ['person name notEquals', 'contact', { type: 'notEquals', attribute: 'name', value: 'Ann Lee' }, { field: 'name', op: 'ne', value: 'Ann Lee' }],
      ['non-person name is a plain field', 'account', { type: 'in', attribute: 'name', value: ['Acme'] }, { field: 'name', op: 'in', value: ['Acme'] }],
      ['email equals: any address, lower-cased', 'contact', { type: 'equals', attribute: 'emailAddress', value: 'Ann@Example.COM' },
        { field: 'emails', op: 'eq', value: 'ann@example.com' }],
      ['email in', 'lead', { type: 'in', attribute: 'emailAddress', value: ['A@x.io', 'b@x.io'] }, { field: 'emails', op: 'in', value: ['a@x.io', 'b@x.io'] }],
      ['email equals array', 'lead', { type: 'equals', attribute: 'emailAddress', value: ['A@x.io'] }, { field: 'emails', op: 'in', value: ['a@x.io'] }],
      ['email like', 'account', { type: 'like', attribute: 'emailAddress', value: '%@X.io' }, { field: 'emails', op: 'like', value: '%@x.io' }],
      ['email isNull: the primary slot', 'contact', { type: 'isNull', attribute: 'emailAddress' }, { field: 'email', op: 'isNull' }],
      ['email notEquals: the primary slot', 'contact', { type: 'notEquals', attribute: 'emailAddress', value: 'a@x.io' }, { field: 'email', op: 'ne', value: 'a@x.io' }],
      ['phone equals: any number', 'account', { type: 'equals', attribute: 'phoneNumber', value: '+1 555 0100' }, { field: 'phones', op: 'eq', value: '+1 555 0100' }],
      ['phone in', 'contact', { type: 'in', attribute: 'phoneNumber', value: ['1', '2'] }, { field: 'phones', op: 'in', value: ['1', '2'] }],
    ])('%s', (_name, entity, item, expected) => {
      expect(one(entity, item)).toEqual(expected);
    });
  });

  describe('links', () => {
    const A = '0000000000000000a';
    const B = '0000000000000000b';
    test.each<[string, string, string | undefined, Record<string, unknown>, Where]>([
      ['belongsTo linkedWith', 'contact', undefined, { type: 'linkedWith', attribute: 'account', value: [A, B] }, { field: 'account_id', op: 'in', value: [10, 11] }],
      ['belongsTo linkedWith one id', 'contact', undefined, { type: 'linkedWith', attribute: 'account', value: A }, { field: 'account_id', op: 'in', value: [10] }],
      ['belongsTo notLinkedWith', 'contact', undefined, { type: 'notLinkedWith', attribute: 'account', value: [A] }, { field: 'account_id', op: 'nin', value: [10] }],
      ['belongsTo notLinkedWith non-hex', 'contact', undefined, { type: 'notLinkedWith', attribute: 'account', value: ['x'] }, { field: 'account_id', op: 'isNotNull' }],
      ['belongsTo linkedWithAll', 'contact', undefined, { type: 'linkedWithAll', attribute: 'account', value: [A] }, { field: 'account_id', op: 'eq', value: 10 }],
      ['belongsTo linkedWithAll two', 'contact', undefined, { type: 'linkedWithAll', attribute: 'account', value: [A, B] }, FALSE],
      ['belongsTo isLinked', 'contact', undefined, { type: 'isLinked', attribute: 'account' }, { field: 'account_id', op: 'isNotNull' }],
      ['belongsTo isNotLinked', 'opportunity', undefined, { type: 'isNotLinked', attribute: 'assignedUser' }, { field: 'assigned_user_id', op: 'isNull' }],
      ['manyMany linkedWith', 'account', undefined, { type: 'linkedWith', attribute: 'contacts', value: [A, 'junk'] }, { link: 'contact.account_ids', op: 'linkedWith', value: [10] }],
      ['manyMany linkedWith nothing valid', 'account', undefined, { type: 'linkedWith', attribute: 'contacts', value: ['junk'] }, FALSE],
      ['manyMany notLinkedWith', 'account', undefined, { type: 'notLinkedWith', attribute: 'contacts', value: [A] }, { link: 'contact.account_ids', op: 'notLinkedWith', value: [10] }],
      ['manyMany notLinkedWith nothing valid', 'account', undefined, { type: 'notLinkedWith', attribute: 'contacts', value: ['junk'] }, TRUE],
      ['manyMany linkedWithAll', 'opportunity', undefined, { type: 'linkedWithAll', attribute: 'contacts', value: [A, B] }, { link: 'opportunity.contact_ids', op: 'linkedWithAll', value: [10, 11] }],
      ['manyMany linkedWithAll with a non-hex id', 'opportunity', undefined, { type: 'linkedWithAll', attribute: 'contacts', value: [A, 'x'] }, FALSE],
      ['manyMany isLinked', 'document', undefined, { type: 'isLinked', attribute: 'accounts' }, { link: 'document.account_ids', op: 'isLinked' }],
      ['hasMany isNotLinked', 'account', undefined, { type: 'isNotLinked', attribute: 'opportunities' }, { link: 'opportunity.account_id', op: 'isNotLinked' }],
      ['hasChildren', 'account', undefined, { type: 'linkedWith', attribute: 'calls', value: [A] }, { link: 'activity.parent_id', op: 'linkedWith', value: [10] }],
      ['inCategory', 'document', undefined, { type: 'inCategory', attribute: 'folder', value: A }, { field: 'folder_id', op: 'in', value: [10] }],
      ['parent linkedWith', 'email', undefined, { type: 'linkedWith', attribute: 'parent', value: [A] }, { field: 'parent_id', op: 'in', value: [10] }],
      ['attendees on a Call', 'activity', 'call', { type: 'linkedWith', attribute: 'users', value: [A] },
        { and: [{ field: 'kind', op: 'eq', value: 'call' }, { link: 'activity.attendee_user_ids', op: 'linkedWith', value: [10] }] }],
      ['links attribute equals', 'contact', undefined, { type: 'equals', attribute: 'accountsIds', value: A }, { field: 'account_ids', op: 'hasAny', value: [10] }],
      ['links attribute isNull', 'contact', undefined, { type: 'isNull', attribute: 'accountsIds' }, { field: 'account_ids', op: 'isEmpty' }],
    ])('%s', (_name, entity, kind, item, expected) => {
      expect(parseWhere(registry, entity, kind, [item], NOW)).toEqual(expected);
    });
  });

  describe('multi-enum', () => {
    test.each<[Record<string, unknown>, Where]>([
      [{ type: 'arrayAnyOf', attribute: 'interests', value: ['Banking', 'Music'] }, { field: 'interests', op: 'hasAny', value: ['Banking', 'Music'] }],
      [{ type: 'arrayAnyOf', attribute: 'interests', value: 'Music' }, { field: 'interests', op: 'hasAny', value: ['Music'] }],
      [{ type: 'arrayAnyOf', attribute: 'interests', value: [] }, FALSE],
      [{ type: 'arrayNoneOf', attribute: 'interests', value: ['Music'] }, { field: 'interests', op: 'hasNone', value: ['Music'] }],
      [{ type: 'arrayNoneOf', attribute: 'interests', value: [] }, TRUE],
      [{ type: 'arrayAllOf', attribute: 'interests', value: ['Music', 'Banking'] }, { field: 'interests', op: 'hasAll', value: ['Music', 'Banking'] }],
      [{ type: 'arrayIsEmpty', attribute: 'interests' }, { field: 'interests', op: 'isEmpty' }],
      [{ type: 'arrayIsNotEmpty', attribute: 'interests' }, { field: 'interests', op: 'isNotEmpty' }],
    ])('%j', (item, expected) => {
      expect(one('lead', item)).toEqual(expected);
    });
  });

  describe('activity types restrict the kind', () => {
    test.each<[string, Where]>([
      ['task', { field: 'kind', op: 'in', value: ['task', 'email', 'note'] }],
      ['email', { field: 'kind', op: 'in', value: ['task', 'email', 'note'] }],
      ['call', { field: 'kind', op: 'eq', value: 'call' }],
      ['meeting', { field: 'kind', op: 'eq', value: 'meeting' }],
    ])('%s', (kind, restriction) => {
      expect(parseWhere(registry, 'activity', kind, [], NOW)).toEqual(restriction);
      expect(parseWhere(registry, 'activity', kind, [{ type: 'equals', attribute: 'parentType', value: 'Account' }], NOW))
        .toEqual({ and: [restriction, { field: 'parent_type', op: 'eq', value: 'account' }] });
      expect(list('activity', {}, kind).where).toEqual(restriction);
    });

    test('attributes of another activity type do not exist', () => {
      expect(errorOf(() => parseWhere(registry, 'activity', 'task', [{ type: 'equals', attribute: 'direction', value: 'Inbound' }], NOW)))
        .toMatchObject({ message: "Not existing attribute 'direction' in where." });
      expect(errorOf(() => parseWhere(registry, 'activity', 'meeting', [{ type: 'isNull', attribute: 'priority' }], NOW)))
        .toMatchObject({ message: "Not existing attribute 'priority' in where." });
    });
  });
});

describe('date-relative items', () => {
  const date = (type: string, value?: unknown, opts: ListOptions = {}) =>
    one('opportunity', { type, attribute: 'closeDate', ...(value === undefined ? {} : { value }) }, opts);
  const range = (from: string, to: string): Where => ({ and: [{ field: 'close_date', op: 'gte', value: from }, { field: 'close_date', op: 'lt', value: to }] });

  test.each<[string, unknown, Where]>([
    ['today', undefined, { field: 'close_date', op: 'eq', value: '2026-05-13' }],
    ['past', undefined, { field: 'close_date', op: 'lt', value: '2026-05-13' }],
    ['future', undefined, { field: 'close_date', op: 'gt', value: '2026-05-13' }],
    ['lastSevenDays', undefined, { field: 'close_date', op: 'between', value: ['2026-05-06', '2026-05-13'] }],
    ['lastXDays', 3, { field: 'close_date', op: 'between', value: ['2026-05-10', '2026-05-13'] }],
    ['lastXDays', '20', { field: 'close_date', op: 'between', value: ['2026-04-23', '2026-05-13'] }],
    ['nextXDays', '3', { field: 'close_date', op: 'between', value: ['2026-05-13', '2026-05-16'] }],
    ['nextXDays', 'abc', { field: 'close_date', op: 'between', value: ['2026-05-13', '2026-05-13'] }],
    ['olderThanXDays', 10, { field: 'close_date', op: 'lt', value: '2026-05-03' }],
    ['afterXDays', '10', { field: 'close_date', op: 'gt', value: '2026-05-23' }],
    ['currentMonth', undefined, range('2026-05-01', '2026-06-01')],
    ['lastMonth', undefined, range('2026-04-01', '2026-05-01')],
    ['nextMonth', undefined, range('2026-06-01', '2026-07-01')],
    ['currentQuarter', undefined, range('2026-04-01', '2026-07-01')],
    ['lastQuarter', undefined, range('2026-01-01', '2026-04-01')],
    ['currentYear', undefined, range('2026-01-01', '2027-01-01')],
    ['lastYear', undefined, range('2025-01-01', '2026-01-01')],
    ['currentFiscalYear', undefined, range('2026-01-01', '2027-01-01')],
    ['lastFiscalYear', undefined, range('2025-01-01', '2026-01-01')],
    ['currentFiscalQuarter', undefined, range('2026-04-01', '2026-07-01')],
    ['lastFiscalQuarter', undefined, range('2026-01-01', '2026-04-01')],
  ])('%s %p', (type, value, expected) => {
    expect(date(type, value)).toEqual(expected);
  });

  test.each<[string, number, string, Where]>([
    ['currentFiscalYear', 3, '2026-05-13T12:00:00Z', range('2026-04-01', '2027-04-01')],
    ['lastFiscalYear', 3, '2026-05-13T12:00:00Z', range('2025-04-01', '2026-04-01')],
    ['currentFiscalQuarter', 3, '2026-05-13T12:00:00Z', range('2026-04-01', '2026-07-01')],
    ['lastFiscalQuarter', 3, '2026-05-13T12:00:00Z', range('2026-01-01', '2026-04-01')],
    ['currentFiscalYear', 3, '2026-01-10T12:00:00Z', range('2025-04-01', '2026-04-01')],
    ['lastFiscalYear', 3, '2026-01-10T12:00:00Z', range('2024-04-01', '2025-04-01')],
    ['currentFiscalQuarter', 1, '2026-05-13T12:00:00Z', range('2026-05-01', '2026-08-01')],
    ['lastFiscalQuarter', 1, '2026-05-13T12:00:00Z', range('2026-02-01', '2026-05-01')],
    ['lastQuarter', 0, '2026-02-10T12:00:00Z', range('2025-10-01', '2026-01-01')],
    ['lastMonth', 0, '2026-01-31T12:00:00Z', range('2025-12-01', '2026-01-01')],
    ['lastXDays', 0, '2026-03-01T12:00:00Z', { field: 'close_date', op: 'between', value: ['2026-02-22', '2026-03-01'] }],
  ])('%s (shift %p) at %s', (type, fiscalYearShift, now, expected) => {
    expect(date(type, type === 'lastXDays' ? 7 : undefined, { now: new Date(now), fiscalYearShift })).toEqual(expected);
  });

  test('today is taken in the item zone when `date: true` is sent, else in the system zone', () => {
    const early = new Date('2026-05-13T02:00:00Z');
    const item = { type: 'today', attribute: 'closeDate', date: 'true', timeZone: 'America/New_York' };
    expect(one('opportunity', item, { now: early })).toEqual({ field: 'close_date', op: 'eq', value: '2026-05-12' });
    expect(one('opportunity', { ...item, date: undefined }, { now: early })).toEqual({ field: 'close_date', op: 'eq', value: '2026-05-13' });
    expect(one('opportunity', { type: 'today', attribute: 'closeDate' }, { now: early, timeZone: 'America/New_York' }))
      .toEqual({ field: 'close_date', op: 'eq', value: '2026-05-12' });
  });

  describe('dateTime: true', () => {
    const dt = (type: string, value?: unknown, extra: Record<string, unknown> = {}, opts: ListOptions = {}) =>
      one('lead', { type, attribute: 'createdAt', dateTime: true, ...(value === undefined ? {} : { value }), ...extra }, opts);
    const between = (a: string, b: string): Where => ({ field: 'created_at', op: 'between', value: [a, b] });
    const now = '2026-05-13 15:30:45';

    test.each<[string, unknown, Where]>([
      ['today', undefined, between('2026-05-13 00:00:00', '2026-05-13 23:59:59')],
      ['past', undefined, { field: 'created_at', op: 'lte', value: now }],
      ['future', undefined, { field: 'created_at', op: 'gt', value: now }],
      ['lastSevenDays', undefined, between('2026-05-06 00:00:00', now)],
      ['lastXDays', '2', between('2026-05-11 00:00:00', now)],
      ['nextXDays', 2, between(now, '2026-05-16 00:59:59')],
      ['olderThanXDays', 2, { field: 'created_at', op: 'lt', value: '2026-05-11 00:00:00' }],
      ['afterXDays', 2, { field: 'created_at', op: 'gte', value: '2026-05-15 00:00:00' }],
      ['on', '2026-05-04', between('2026-05-04 00:00:00', '2026-05-04 23:59:59')],
      ['on', '2026-05-04 10:00:00', { field: 'created_at', op: 'eq', value: '2026-05-04 10:00:00' }],
      ['notOn', '2026-05-04', { or: [{ field: 'created_at', op: 'lt', value: '2026-05-04 00:00:00' }, { field: 'created_at', op: 'gt', value: '2026-05-04 23:59:59' }] }],
      ['before', '2026-05-04', { field: 'created_at', op: 'lt', value: '2026-05-04 00:00:00' }],
      ['after', '2026-05-04', { field: 'created_at', op: 'gt', value: '2026-05-04 23:59:59' }],
      ['after', '2026-05-04 08:15', { field: 'created_at', op: 'gt', value: '2026-05-04 08:15:00' }],
      ['between', ['2026-05-01', '2026-05-04'], between('2026-05-01 00:00:00', '2026-05-04 23:59:59')],
      ['between', ['2026-05-01 08:00:00', '2026-05-04'], between('2026-05-01 08:00:00', '2026-05-04 23:59:59')],
      ['currentMonth', undefined, between('2026-05-01 00:00:00', '2026-05-31 23:59:59')],
      ['lastYear', undefined, between('2025-01-01 00:00:00', '2025-12-31 23:59:59')],
      ['currentQuarter', undefined, between('2026-04-01 00:00:00', '2026-06-30 23:59:59')],
      ['equals', '2026-05-04 10:00:00', { field: 'created_at', op: 'eq', value: '2026-05-04 10:00:00' }],
    ])('%s %p', (type, value, expected) => {
      expect(dt(type, value)).toEqual(expected);
    });

    test('bounds are computed in the item zone and converted to UTC', () => {
      expect(dt('today', undefined, { timeZone: 'Europe/Berlin' })).toEqual(between('2026-05-12 22:00:00', '2026-05-13 21:59:59'));
      expect(dt('on', '2026-05-04 10:00', { timeZone: 'Europe/Berlin' })).toEqual({ field: 'created_at', op: 'eq', value: '2026-05-04 08:00:00' });
      expect(dt('currentMonth', undefined, { timeZone: 'Europe/Berlin' })).toEqual(between('2026-04-30 22:00:00', '2026-05-31 21:59:59'));
      expect(dt('today', undefined, { timeZone: 'America/New_York' }, { now: new Date('2026-05-13T02:00:00Z') }))
        .toEqual(between('2026-05-12 04:00:00', '2026-05-13 03:59:59'));
      // winter time: UTC+1
      expect(dt('on', '2026-01-15', { timeZone: 'Europe/Berlin' })).toEqual(between('2026-01-14 23:00:00', '2026-01-15 22:59:59'));
      expect(dt('today', undefined, { dateTime: 'true' })).toEqual(between('2026-05-13 00:00:00', '2026-05-13 23:59:59'));
    });
  });
});

describe('where errors', () => {
  test.each<[string, unknown, string]>([
    ['unknown attribute', { type: 'equals', attribute: 'colour', value: 'red' }, "Not existing attribute 'colour' in where."],
    ['unknown attribute, unknown type', { type: 'foo', attribute: 'colour' }, "Not existing attribute 'colour' in where."],
    ['unknown type', { type: 'foo', attribute: 'status' }, "Unknown where item type 'foo'."],
    ['legacy type nested', { type: 'or', value: [{ type: 'bool', attribute: 'status', value: ['onlyMy'] }] }, "Unknown where item type 'bool'."],
    ['in not a list', { type: 'in', attribute: 'status', value: 'New' }, "Bad where item 'in'."],
    ['notIn not a list', { type: 'notIn', attribute: 'status', value: 'New' }, "Bad where item 'notIn'."],
    ['in with a qs object', { type: 'in', attribute: 'status', value: { 1001: 'New' } }, "Bad where item 'in'."],
    ['between one value', { type: 'between', attribute: 'opportunityAmount', value: ['1'] }, "Bad where item 'between'."],
    ['between not a list', { type: 'between', attribute: 'opportunityAmount', value: '1' }, "Bad where item 'between'."],
    ['between dateTime one value', { type: 'between', attribute: 'createdAt', dateTime: true, value: ['2026-01-01'] }, "Bad where item 'between'."],
    ['not', { type: 'not', value: [] }, 'Sub-queries are forbidden in where.'],
    ['subQueryIn', { type: 'subQueryIn', value: [] }, 'Sub-queries are forbidden in where.'],
    ['subQueryNotIn', { type: 'subQueryNotIn', value: [] }, 'Sub-queries are forbidden in where.'],
    ['dotted attribute', { type: 'equals', attribute: 'account.name', value: 'x' }, 'Complex expressions are forbidden in where.'],
    ['colon attribute', { type: 'equals', attribute: 'LOWER:name', value: 'x' }, 'Complex expressions are forbidden in where.'],
    ['hash attribute', { type: 'equals', attribute: 'name#', value: 'x' }, 'Complex expressions are forbidden in where.'],
    ['expression type', { type: 'expression', attribute: 'x' }, 'Complex expressions are forbidden in where.'],
    ['unknown relation', { type: 'linkedWith', attribute: 'foo', value: ['1'] }, "Not existing relation 'foo' in where."],
    ['relation named by attribute', { type: 'linkedWith', attribute: 'assignedUserId', value: ['1'] }, "Not existing relation 'assignedUserId' in where."],
    ['extra key', { type: 'equals', attribute: 'status', value: 'New', foo: 1 }, "Unknown parameter 'foo'."],
    ['no type', { attribute: 'status', value: 'New' }, "No 'type' in where item."],
    ['empty type', { type: '', attribute: 'status' }, "No 'type' in where item."],
    ['not an object', 'status=New', "No 'type' in where item."],
    ['no attribute', { type: 'equals', value: 'New' }, "No 'attribute' in where item."],
    ['no attribute for any', { type: 'any' }, "No 'attribute' in where item."],
    ['and value not a list', { type: 'and', value: 'x' }, "Bad 'value'."],
    ['or value a qs object', { type: 'or', value: { 5: { type: 'isNull', attribute: 'status' } } }, "Bad 'value'."],
    ['number not numeric', { type: 'greaterThan', attribute: 'opportunityAmount', value: 'abc' }, "Bad 'value'."],
    ['bool not boolean', { type: 'equals', attribute: 'doNotCall', value: 'maybe' }, "Bad 'value'."],
    ['date not a date', { type: 'equals', attribute: 'convertedAt', value: 'yesterday' }, "Bad 'value'."],
    ['scalar compare with a list', { type: 'greaterThan', attribute: 'opportunityAmount', value: ['1'] }, "Bad 'value'."],
    ['object value', { type: 'equals', attribute: 'status', value: { a: 1 } }, "Bad 'value'."],
    ['array type on a plain field', { type: 'arrayAnyOf', attribute: 'status', value: ['New'] }, "Bad where item 'arrayAnyOf'."],
    ['bad time zone', { type: 'today', attribute: 'createdAt', dateTime: true, timeZone: 'Mars/Olympus' }, "Bad 'timeZone'."],
    ['isUserFromTeams', { type: 'isUserFromTeams', attribute: 'assignedUser', value: ['1'] }, "Unknown where item type 'isUserFromTeams'."],
    // Injection attempts never reach SQL: each is a name checked against the registry.
    ['sql in attribute', { type: 'equals', attribute: 'name) OR 1=1 --', value: 'x' }, "Not existing attribute 'name) OR 1=1 --' in where."],
    ['quote in attribute', { type: 'equals', attribute: "name' OR '1'='1", value: 'x' }, "Not existing attribute 'name' OR '1'='1' in where."],
    ['proto attribute', { type: 'equals', attribute: '__proto__', value: 'x' }, "Not existing attribute '__proto__' in where."],
    ['constructor attribute', { type: 'isNull', attribute: 'constructor' }, "Not existing attribute 'constructor' in where."],
    ['sql in link', { type: 'linkedWith', attribute: 'teams; DROP TABLE team', value: ['1'] }, "Not existing relation 'teams; DROP TABLE team' in where."],
    ['sql in type', { type: "equals' OR 1=1", attribute: 'status', value: 'x' }, "Unknown where item type 'equals' OR 1=1'."],
    ['sql in a key', { type: 'equals', attribute: 'status', value: 'x', '1=1; --': 1 }, "Unknown parameter '1=1; --'."],
    ['deep nesting', JSON.parse('{"type":"or","value":['.repeat(40) + '{"type":"isNull","attribute":"status"}' + ']}'.repeat(40)), "Bad 'value'."],
  ])('%s', (_name, item, message) => {
    const e = errorOf(() => one('lead', item));
    expect(e).toBeInstanceOf(BadRequestError);
    expect((e as Error).message).toBe(message);
  });
});
