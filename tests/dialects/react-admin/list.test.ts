// GET /api/:resource (react-admin.md §5, §5.2): range and Content-Range, filter, filters, sort, sorts, summaries.
import { makeApp, type TestApp } from '../../helpers/app';
import { api, type Api, ids, ISO, seed } from './ra';

let t: TestApp;
let a: Api;
let s: Record<string, number>;

beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  s = await seed(t);
});
afterAll(() => t.close());

describe('range and Content-Range', () => {
  test('a page: bare array, inclusive range, X-Total-Count, always 200', async () => {
    const r = await a.get('/contacts', { range: [1, 2], sort: ['id', 'ASC'] }, { Range: 'contacts=1-2' });
    expect(r.status).toBe(200);
    expect(r.headers['content-range']).toBe('contacts 1-2/4');
    expect(r.headers['x-total-count']).toBe('4');
    expect(ids(r)).toEqual([s.cy, s.bo]);
  });

  test('default range [0,24]', async () => {
    for (let i = 0; i < 30; i++) await t.core.create('tag', { name: `t${i}`, color: '#000000' }, t.ctx);
    const r = await a.get('/tags');
    expect(r.body).toHaveLength(25);
    expect(r.headers['content-range']).toBe('tags 0-24/31');
  });

  test('empty page: */total', async () => {
    const r = await a.get('/contacts', { range: [50, 59] });
    expect(r.body).toEqual([]);
    expect(r.headers['content-range']).toBe('contacts */4');
    const none = await a.get('/contacts', { filter: { last_name: 'Nobody' } });
    expect(none.headers['content-range']).toBe('contacts */0');
  });

  test('getMany: filter.id list with no range returns every match (no 25 cap), in any order', async () => {
    const many = [];
    for (let i = 0; i < 30; i++) many.push((await t.core.create('account', { name: `Bulk ${i}` }, t.ctx)).id);
    const r = await a.get('/companies', { filter: { id: many } });
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(30);
    expect(r.headers['content-range']).toBe('companies 0-29/30');
    for (const id of many) await t.core.delete('account', id, t.ctx);
  });

  test('a bad range falls back to [0,24] (never 400)', async () => {
    for (const range of ['[5,1]', '[0,', 'abc', '[-1,3]']) {
      const r = await a.get('/contacts', { range });
      expect(r.status).toBe(200);
      expect(r.headers['content-range']).toBe('contacts 0-3/4');
    }
  });
});

describe('records on the wire', () => {
  test('snake_case, ids as numbers, ISO datetimes, mapped names', async () => {
    const r = await a.get(`/contacts/${s.ada}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: s.ada, first_name: 'Ada', last_name: 'Lovelace', email: 'ada@acme.test', company_id: s.acme, title: 'CEO',
      tags: [s.vip], email_jsonb: [{ email: 'ada@acme.test', type: 'Work' }], phone_jsonb: [], crm_user_id: 1,
    });
    expect(r.body.created_at).toMatch(ISO);
    expect(r.body.updated_at).toMatch(ISO);
  });

  test('deals render stage canonical, company_name, archived_at', async () => {
    const r = await a.get(`/deals/${s.renewal}`);
    expect(r.body).toMatchObject({ id: s.renewal, name: 'Renewal', company_id: s.acme, company_name: 'Acme', status: 'Proposal', stage: 'Proposal', amount: 1000, archived_at: null });
  });

  test('companies: BasicsOS and Atomic names (R6 aliases)', async () => {
    const r = await a.get(`/companies/${s.acme}`);
    expect(r.body).toMatchObject({ name: 'Acme', domain: 'acme.test', website: 'acme.test', category: 'Software', sector: 'Software' });
  });

  test('tasks: text, type from the kind, done_date, contact_id', async () => {
    const r = await a.get('/tasks', { sort: ['id', 'ASC'] });
    expect(r.body).toEqual([
      expect.objectContaining({ id: s.call, text: 'Call Ada', type: 'call', done_date: null, contact_id: s.ada }),
      expect.objectContaining({ id: s.done, text: 'Send deck', type: null, contact_id: s.ada }),
    ]);
    expect(r.body[1].done_date).toMatch(ISO);
  });

  test('note resources list only their parent type', async () => {
    const c = await a.get('/contact_notes');
    expect(c.body).toEqual([expect.objectContaining({ id: s.note, contact_id: s.ada, text: 'Met at fair', attachments: [] })]);
    expect(c.body[0].date).toMatch(ISO);
    const d = await a.get('/deal_notes');
    expect(ids(d)).toEqual([s.dealNote]);
    expect((await a.get('/company_notes')).body).toEqual([]);
    expect((await a.get(`/company_notes/${s.note}`)).status).toBe(404);
  });

  test('crm_users: the admin, no secrets', async () => {
    const r = await a.get('/crm_users');
    expect(r.body[0]).toMatchObject({ id: 1, administrator: true, disabled: false });
    expect(JSON.stringify(r.body)).not.toMatch(/api_key|key_hash/);
  });
});

describe('filter', () => {
  test.each<[string, () => Record<string, unknown>, () => number[]]>([
    ['field equality', () => ({ last_name: 'Lovelace' }), () => [s.ada, s.cy]],
    ['equality is case-sensitive', () => ({ last_name: 'lovelace' }), () => []],
    ['camelCase key', () => ({ lastName: 'Ng' }), () => [s.bo]],
    ['array = IN', () => ({ first_name: ['Ada', 'Bo'] }), () => [s.ada, s.bo]],
    ['null = IS NULL', () => ({ company_id: null }), () => [s.di]],
    ['id list', () => ({ id: [s.bo, s.ada] }), () => [s.ada, s.bo]],
    ['empty id list', () => ({ id: [] }), () => []],
    ['reference input (company_id)', () => ({ company_id: s.acme }), () => [s.ada, s.cy]],
    ['tags', () => ({ tags: s.vip }), () => [s.ada]],
    ['q over names and email, case-insensitive', () => ({ q: 'LOVE' }), () => [s.ada, s.cy]],
    ['q on email', () => ({ q: '@globex' }), () => [s.bo]],
    ['unknown keys ignored', () => ({ nonsense: 'x' }), () => [s.ada, s.cy, s.bo, s.di]],
    ['suffix _neq (does not match NULL)', () => ({ title_neq: 'CEO' }), () => []],
    ['suffix _gt on id', () => ({ id_gt: s.bo }), () => [s.di]],
    ['injection attempt in a value is just a value', () => ({ last_name: "x' OR '1'='1" }), () => []],
  ])('%s', async (_n, filter, expected) => {
    const want = expected();
    const r = await a.get('/contacts', { filter: filter(), sort: ['id', 'ASC'] });
    expect(r.status).toBe(200);
    expect(ids(r)).toEqual(want);
    expect(r.headers['content-range']).toMatch(new RegExp(`/${want.length}$`));
  });

  test('deals: status by Atomic slug or canonical; include_archived', async () => {
    expect(ids(await a.get('/deals', { filter: { status: 'won' } }))).toEqual([s.upsell]);
    expect(ids(await a.get('/deals', { filter: { status: ['proposal-sent', 'Closed Won'] }, sort: 'id' }))).toEqual([s.renewal, s.upsell]);
    const archived = (await t.core.create('opportunity', { name: 'Old', account_id: s.globex }, t.ctx)).id;
    await t.core.delete('opportunity', archived, t.ctx);
    expect(ids(await a.get('/deals', { filter: { company_id: s.globex } }))).toEqual([s.pilot]);
    const all = await a.get('/deals', { filter: { company_id: s.globex, include_archived: true }, sort: 'id' });
    expect(ids(all)).toEqual([s.pilot, archived]);
    expect(all.body[1].archived_at).toMatch(ISO);
    const only = await a.get('/deals', { filters: [{ field: 'archived_at', op: 'is_not_empty' }] });
    expect(ids(only)).toEqual([archived]);
    await t.core.restore('opportunity', archived, t.ctx);
    await t.core.delete('opportunity', archived, t.ctx, { hard: true });
  });

  test('tasks by type, contact_id, deal_id', async () => {
    const dealTask = (await t.core.create('activity', { name: 'Prep', parent_id: s.renewal, parent_type: 'opportunity', type: 'Demo' }, t.ctx)).id;
    expect(ids(await a.get('/tasks', { filter: { type: 'call' } }))).toEqual([s.call]);
    expect(ids(await a.get('/tasks', { filter: { type: 'demo' } }))).toEqual([dealTask]);
    expect(ids(await a.get('/tasks', { filter: { deal_id: s.renewal } }))).toEqual([dealTask]);
    expect(ids(await a.get('/tasks', { filter: { contact_id: s.ada }, sort: 'id' }))).toEqual([s.call, s.done]);
    expect((await a.get(`/tasks/${dealTask}`)).body).toMatchObject({ deal_id: s.renewal, type: 'demo' });
    await t.core.delete('activity', dealTask, t.ctx, { hard: true });
  });

  test('json-server style flat parameters', async () => {
    const r = await a.get(`/contacts?last_name=Lovelace&_sort=first_name&_order=DESC&_start=0&_end=1`);
    expect(ids(r)).toEqual([s.cy]);
    expect(r.headers['x-total-count']).toBe('2');
    expect(ids(await a.get(`/contacts?id=${s.ada}&id=${s.bo}&_sort=id`))).toEqual([s.ada, s.bo]);
  });
});

describe('filters', () => {
  const run = async (filters: unknown[], res = '/contacts') => ids(await a.get(res, { filters, sort: 'id' }));
  test.each<[string, unknown[], () => number[]]>([
    ['eq', [{ field: 'last_name', op: 'eq', value: 'Ng' }], () => [s.bo]],
    ['neq (NULL does not match)', [{ field: 'title', op: 'neq', value: 'CTO' }], () => [s.ada]],
    ['contains (ILIKE)', [{ field: 'email', op: 'contains', value: '@ACME' }], () => [s.ada, s.cy]],
    ['not_contains', [{ field: 'email', op: 'not_contains', value: 'acme' }], () => [s.bo]],
    ['starts_with', [{ field: 'first_name', op: 'starts_with', value: 'd' }], () => [s.di]],
    ['is_empty', [{ field: 'email', op: 'is_empty' }], () => [s.di]],
    ['is_not_empty', [{ field: 'title', op: 'is_not_empty' }], () => [s.ada]],
    ['gt on id (number given as a string)', [{ field: 'id', op: 'gt', value: 'BO' }], () => [s.di]],
    ['lte on a datetime with a date', [{ field: 'created_at', op: 'lte', value: '2000-01-01' }], () => []],
    ['gte on a datetime', [{ field: 'created_at', op: 'gte', value: '2000-01-01T00:00:00Z' }], () => [s.ada, s.cy, s.bo, s.di]],
    ['left fold: (a OR b) AND c', [
      { field: 'last_name', op: 'eq', value: 'Lovelace' }, { field: 'last_name', op: 'eq', value: 'Ng', logicalOp: 'or' },
      { field: 'email', op: 'contains', value: 'acme', logicalOp: 'and' }], () => [s.ada, s.cy]],
    ['left fold: a AND b OR c', [
      { field: 'last_name', op: 'eq', value: 'Lovelace' }, { field: 'first_name', op: 'eq', value: 'Ada' },
      { field: 'last_name', op: 'eq', value: 'Zed', logicalOp: 'or' }], () => [s.ada, s.di]],
    ['invalid elements skipped', [{ field: 'nope', op: 'eq', value: 'x' }, { field: 'last_name', op: 'regex', value: 'x' }, { field: 'last_name', op: 'eq', value: 'Ng' }], () => [s.bo]],
  ])('%s', async (_n, filters, expected) => {
    const f = JSON.parse(JSON.stringify(filters).replace('"BO"', `"${s.bo}"`));
    expect(await run(f)).toEqual(expected());
  });

  test('filter and filters together', async () => {
    const r = await a.get('/contacts', { filter: { company_id: s.acme }, filters: [{ field: 'first_name', op: 'eq', value: 'Cy' }] });
    expect(ids(r)).toEqual([s.cy]);
  });
});

describe('sort', () => {
  test.each<[string, Record<string, unknown>, () => number[]]>([
    ['JSON array as ra sends it', { sort: ['first_name', 'DESC'] }, () => [s.di, s.cy, s.bo, s.ada]],
    ['plain field + order', { sort: 'first_name', order: 'DESC' }, () => [s.di, s.cy, s.bo, s.ada]],
    ['plain field: ASC', { sort: 'first_name' }, () => [s.ada, s.bo, s.cy, s.di]],
    ['camelCase', { sort: ['firstName', 'ASC'] }, () => [s.ada, s.bo, s.cy, s.di]],
    ['sorts multi-column', { sorts: [{ field: 'last_name', order: 'ASC' }, { field: 'id', order: 'DESC' }] }, () => [s.cy, s.ada, s.bo, s.di]],
    ['stable tie-breaker: id in the last direction', { sort: ['last_name', 'ASC'] }, () => [s.ada, s.cy, s.bo, s.di]],
    ['unknown field ignored: id order', { sort: ['nonsense', 'DESC'] }, () => [s.ada, s.cy, s.bo, s.di]],
    ['injection attempt in sort is an unknown field', { sort: ['id; DROP TABLE crm_contact; --', 'DESC'] }, () => [s.ada, s.cy, s.bo, s.di]],
  ])('%s', async (_n, q, expected) => {
    const r = await a.get('/contacts', q);
    expect(r.status).toBe(200);
    expect(ids(r)).toEqual(expected());
  });

  test('pages are stable under ties', async () => {
    const p1 = await a.get('/contacts', { sort: ['last_name', 'ASC'], range: [0, 0] });
    const p2 = await a.get('/contacts', { sort: ['last_name', 'ASC'], range: [1, 1] });
    expect([...ids(p1), ...ids(p2)]).toEqual([s.ada, s.cy]);
  });
});

describe('summaries', () => {
  test('companies_summary: nb_deals and nb_contacts', async () => {
    const r = await a.get('/companies_summary', { filter: { id: [s.acme, s.globex] }, sort: 'id' });
    expect(r.body).toEqual([
      expect.objectContaining({ id: s.acme, name: 'Acme', nb_deals: 2, nb_contacts: 2 }),
      expect.objectContaining({ id: s.globex, name: 'Globex', nb_deals: 1, nb_contacts: 1 }),
    ]);
    expect(r.headers['content-range']).toBe('companies_summary 0-1/2');
    expect((await a.get(`/companies_summary/${s.acme}`)).body).toMatchObject({ nb_deals: 2, nb_contacts: 2 });
    expect(ids(await a.get('/companies_summary', { filter: { q: 'glob' } }))).toEqual([s.globex]);
    // The counts come from the one list query, so they sort (both directions, id breaking ties).
    expect(ids(await a.get('/companies_summary', { filter: { id: [s.acme, s.globex] }, sort: ['nb_deals', 'ASC'] }))).toEqual([s.globex, s.acme]);
    expect(ids(await a.get('/companies_summary', { filter: { id: [s.acme, s.globex] }, sorts: [{ field: 'nbContacts', order: 'DESC' }] }))).toEqual([s.acme, s.globex]);
  });

  test('contacts_summary: company_name and nb_tasks (open tasks only); q also matches the company name', async () => {
    const r = await a.get(`/contacts_summary/${s.ada}`);
    expect(r.body).toMatchObject({ id: s.ada, company_name: 'Acme', nb_tasks: 1 });
    expect(ids(await a.get('/contacts_summary', { filter: { q: 'globex' } }))).toEqual([s.bo]);
    expect(ids(await a.get('/contacts_summary', { filter: { company_id: s.acme }, sort: 'id' }))).toEqual([s.ada, s.cy]);
  });
});

describe('other resources', () => {
  test('unknown resource: 404 Unknown resource', async () => {
    const r = await a.get('/widgets');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: 'Unknown resource', code: 'NOT_FOUND', message: 'Unknown resource' });
  });

  test('generic (g) resources: leads with canonical names', async () => {
    const lead = (await t.core.create('lead', { first_name: 'Lee', last_name: 'Dee', email: 'lee@x.test', status: 'New' }, t.ctx)).id;
    const r = await a.get('/leads', { filter: { q: 'lee' } });
    expect(r.body).toEqual([expect.objectContaining({ id: lead, first_name: 'Lee', last_name: 'Dee', email: 'lee@x.test', status: 'New' })]);
    expect(r.body[0].emails).toEqual([expect.objectContaining({ address: 'lee@x.test' })]);
    expect((await a.get('/opportunity_histories')).status).toBe(404);
  });

  test('configuration: one record, id 1, lists from the canonical picklists', async () => {
    const r = await a.get('/configuration');
    expect(r.headers['content-range']).toBe('configuration 0-0/1');
    expect(r.body[0].id).toBe(1);
    expect(r.body[0].config.dealStages).toContainEqual({ value: 'Proposal', label: 'Proposal' });
    expect(r.body[0].config.taskTypes.map((x: { value: string }) => x.value)).toEqual(expect.arrayContaining(['none', 'call', 'demo']));
    expect((await a.get('/configuration/7')).body.id).toBe(1);
  });
});
