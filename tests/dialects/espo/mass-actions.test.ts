// EspoCRM mass actions beyond the plain forms (espocrm.md §8, §9): how `params` name the records, `data` with
// per-attribute actions (add / remove on list fields), the malformed forms, the legacy byWhere form, mass link.
import { makeApp, TestApp } from '../../helpers/app';
import { Api, api, count, reason } from './espo';

let t: TestApp;
let a: Api;
beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  await t.core.defineField('lead', { name: 'interests', type: 'multienum', picklist: 'industry' });
});
afterAll(() => t.close());

const NO_DUP = { 'X-Skip-Duplicate-Check': 'true' };

async function lead(lastName: string, extra: object = {}): Promise<string> {
  return (await a.post('/Lead', { lastName, status: 'New', ...extra }, NO_DUP)).body.id;
}

describe('params: which records', () => {
  test('`where` takes the place of the searchParams\' where; their primary filter still applies', async () => {
    const dead = await lead('SpDead', { status: 'Dead' });
    const fresh = await lead('SpNew');
    const other = await lead('SpOther');
    const r = await a.post('/MassAction', {
      entityType: 'Lead', action: 'update', data: { values: { source: 'Call' } },
      params: {
        where: [{ type: 'or', value: [{ type: 'equals', attribute: 'lastName', value: 'SpDead' }, { type: 'equals', attribute: 'lastName', value: 'SpNew' }] }],
        searchParams: { primaryFilter: 'actual', where: [{ type: 'equals', attribute: 'lastName', value: 'SpOther' }] },
      },
    });
    expect(r.body).toEqual({ count: 1 });
    expect((await a.get(`/Lead/${fresh}`)).body.source).toBe('Call');
    for (const id of [dead, other]) expect((await a.get(`/Lead/${id}`)).body.source).toBeNull();
  });

  test('`selectData` is the legacy name of searchParams; `ids` beside a where are ignored', async () => {
    const x = await lead('SelData');
    const y = await lead('SelDataNot');
    const r = await a.post('/MassAction', {
      entityType: 'Lead', action: 'update', data: { values: { source: 'Email' } },
      params: { ids: [y], selectData: { where: [{ type: 'equals', attribute: 'lastName', value: 'SelData' }] } },
    });
    expect(r.body).toEqual({ count: 1 });
    expect((await a.get(`/Lead/${x}`)).body.source).toBe('Email');
    expect((await a.get(`/Lead/${y}`)).body.source).toBeNull();
  });

  test.each([
    [{ entityType: '', action: 'update', params: { ids: [] } }, undefined],
    [{ entityType: 'Lead', action: '', params: { ids: [] } }, undefined],
    [{ entityType: 'Lead', action: 'delete', params: [] }, undefined],
    [{ entityType: 'Lead', action: 'delete', params: { ids: 'abc' } }, "Bad 'ids'."],
    [{ entityType: 'Lead', action: 'delete', params: { where: 'everything' } }, "Bad 'where'."],
    // One item not wrapped in a list would otherwise read as no condition: every record.
    [{ entityType: 'Lead', action: 'delete', params: { where: { type: 'equals', attribute: 'lastName', value: 'x' } } }, "Bad 'where'."],
    [{ entityType: 'Lead', action: 'delete', params: { searchParams: 5 } }, "Bad 'searchParams'."],
    [{ entityType: 'Lead', action: 'delete', params: { searchParams: { where: 'x' } } }, 'where should be array.'],
    [{ entityType: 'Lead', action: 'delete', params: { searchParams: '{not json' } }, 'Invalid search params JSON.'],
    // A filter of the wrong type would be skipped, and the delete would reach every record.
    [{ entityType: 'Lead', action: 'delete', params: { searchParams: { textFilter: {} } } }, 'textFilter should be string.'],
    [{ entityType: 'Lead', action: 'delete', params: { searchParams: { primaryFilter: ['actual'] } } }, 'primaryFilter should be string.'],
    [{ entityType: 'Lead', action: 'delete', params: { searchParams: { boolFilterList: 'onlyMy' } } }, 'boolFilterList should be array.'],
    [{ entityType: 'Lead', action: 'update', params: { ids: [] }, data: 'x' }, "Bad 'data'."],
    [{ entityType: 'Lead', action: 'update', params: { ids: [] }, data: { values: null } }, 'No `values` in mass-action data.'],
    [{ entityType: 'Lead', action: 'update', params: { ids: [] }, data: { values: {}, actions: ['add'] } }, 'Bad `actions` in mass-action data.'],
  ])('%j -> 400 %s, nothing changed', async (body, text) => {
    await lead('Untouched');
    const before = await count(t, 'lead');
    const r = await a.post('/MassAction', body);
    expect(r.status).toBe(400);
    expect(reason(r)).toBe(text);
    expect(await count(t, 'lead')).toBe(before);
  });

  test('a where given as an object of numeric keys (a PHP list) is taken', async () => {
    const x = await lead('NumKeys');
    const r = await a.post('/MassAction', { entityType: 'Lead', action: 'delete', params: { where: { 0: { type: 'equals', attribute: 'lastName', value: 'NumKeys' } } } });
    expect(r.body).toEqual({ count: 1 });
    expect((await a.get(`/Lead/${x}`)).body.deleted).toBe(true);
  });
});

describe('data: per-attribute actions', () => {
  test('add / remove on a link-multiple change each record from its own list', async () => {
    const acc = async (name: string) => (await a.post('/Account', { name }, NO_DUP)).body.id as string;
    const [a1, a2, a3] = [await acc('AddA1'), await acc('AddA2'), await acc('AddA3')];
    const c1 = (await a.post('/Contact', { lastName: 'AddC1', accountsIds: [a1] }, NO_DUP)).body.id;
    const c2 = (await a.post('/Contact', { lastName: 'AddC2', accountsIds: [a2] }, NO_DUP)).body.id;
    const accounts = async (id: string) => ((await a.get(`/Contact/${id}`)).body.accountsIds as string[]).sort();
    const add = await a.post('/MassAction', { entityType: 'Contact', action: 'update', params: { ids: [c1, c2] },
      data: { values: { accountsIds: [a3, a1] }, actions: { accountsIds: 'add' } } });
    expect(add.body.count).toBe(2);
    expect(await accounts(c1)).toEqual([a1, a3].sort());
    expect(await accounts(c2)).toEqual([a1, a2, a3].sort());
    const remove = await a.post('/MassAction', { entityType: 'Contact', action: 'update', params: { ids: [c1, c2] },
      data: { values: { accountsIds: [a1, a2] }, actions: { accountsIds: 'remove' } } });
    expect(remove.body).toEqual({ count: 2, ids: [c1, c2] });
    expect(await accounts(c1)).toEqual([a3]);
    expect(await accounts(c2)).toEqual([a3]);
  });

  test('add / remove on a multi-enum; with the plain update beside it', async () => {
    const l1 = await lead('Multi1', { interests: ['Banking'] });
    const l2 = await lead('Multi2', { interests: [] });
    const r = await a.post('/MassAction', { entityType: 'Lead', action: 'update', params: { ids: [l1, l2] },
      data: { values: { interests: ['Retail', 'Banking'], status: 'Assigned' }, actions: { interests: 'add', status: 'update' } } });
    expect(r.body.count).toBe(2);
    expect((await a.get(`/Lead/${l1}`)).body).toMatchObject({ interests: ['Banking', 'Retail'], status: 'Assigned' });
    expect((await a.get(`/Lead/${l2}`)).body.interests).toEqual(['Retail', 'Banking']);
    await a.post('/MassAction', { entityType: 'Lead', action: 'update', params: { ids: [l1, l2] },
      data: { values: { interests: ['Banking'] }, actions: { interests: 'remove' } } });
    expect((await a.get(`/Lead/${l1}`)).body.interests).toEqual(['Retail']);
  });

  test('add on a plain field, add with null, an unknown action: that attribute changes nothing', async () => {
    const l1 = await lead('NoOp', { interests: ['Banking'] });
    const r = await a.post('/MassAction', { entityType: 'Lead', action: 'update', params: { ids: [l1] },
      data: { values: { status: 'Dead', interests: null, source: 'Call' }, actions: { status: 'add', interests: 'add', source: 'explode' } } });
    expect(r.body).toEqual({ count: 0, ids: [] });
    expect((await a.get(`/Lead/${l1}`)).body).toMatchObject({ status: 'New', interests: ['Banking'], source: null });
  });
});

describe('legacy forms', () => {
  test('byWhere without a where does not mean every record: the ids are used', async () => {
    const x = await lead('LegacyIds');
    const before = await count(t, 'lead');
    const r = await a.post('/Lead/action/massDelete', { byWhere: true, ids: [x] });
    expect(r.body).toEqual({ count: 1, ids: [x] });
    expect(await count(t, 'lead')).toBe(before - 1);
  });

  test('byWhere with selectData: its primary filter applies; byWhere is read as PHP reads a flag', async () => {
    const x = await lead('LegacySel');
    const y = await lead('LegacySelDead', { status: 'Dead' });
    const r = await a.put('/Lead/action/massUpdate', { byWhere: '1', where: [{ type: 'startsWith', attribute: 'lastName', value: 'LegacySel' }],
      selectData: { primaryFilter: 'actual' }, attributes: { source: 'Partner' } });
    expect(r.body).toEqual({ count: 1 });
    expect((await a.get(`/Lead/${x}`)).body.source).toBe('Partner');
    expect((await a.get(`/Lead/${y}`)).body.source).toBeNull();
  });

  test.each([
    ['PUT', '/Lead/action/massUpdate', { attributes: { status: 'Dead' } }, 'Bad mass action params.'],
    ['PUT', '/Lead/action/massUpdate', { ids: 'x', attributes: { status: 'Dead' } }, "Bad 'ids'."],
    ['PUT', '/Lead/action/massUpdate', { ids: [] }, undefined],
    ['POST', '/Lead/action/massDelete', { byWhere: true }, 'Bad mass action params.'],
  ])('%s %s %j -> 400 %s', async (method, path, body, text) => {
    await lead('LegacyUntouched');
    const before = await count(t, 'lead');
    const r = method === 'PUT' ? await a.put(path, body) : await a.post(path, body);
    expect(r.status).toBe(400);
    expect(reason(r)).toBe(text);
    expect(await count(t, 'lead')).toBe(before);
  });
});

describe('mass link', () => {
  let list: string;
  beforeAll(async () => {
    // TargetList is not built in; a run-time one with a contacts link, as EspoCRM's, takes mass link.
    await t.core.defineEntity({ name: 'target_list', label: 'Target List', plural: 'Target Lists', fields: { name: { name: 'name', type: 'string' } } });
    await t.core.defineField('contact', { name: 'target_list_ids', type: 'links', entity: 'target_list' });
    list = (await a.post('/TargetList', { name: 'Newsletter' })).body.id;
    for (const [firstName, lastName] of [['Mia', 'Link'], ['Max', 'Link'], ['Ola', 'Other']]) {
      await a.post('/Contact', { firstName, lastName }, NO_DUP);
    }
  });

  const members = async () => ((await a.get(`/TargetList/${list}/contacts?select=firstName`)).body.list as { firstName: string }[])
    .map((c) => c.firstName).sort();

  test('relates what the where selects, on top of the searchParams\' where; massRelate is a PHP flag', async () => {
    const r = await a.post(`/TargetList/${list}/contacts`, { massRelate: 1, where: [{ type: 'equals', attribute: 'lastName', value: 'Link' }],
      searchParams: { where: [{ type: 'startsWith', attribute: 'firstName', value: 'Mi' }] } });
    expect(r.status).toBe(200);
    expect(r.text).toBe('true');
    expect(await members()).toEqual(['Mia']);
  });

  test('true even when nothing matches (EspoCRM does not count for a user who may edit everything)', async () => {
    const r = await a.post(`/TargetList/${list}/contacts`, { massRelate: true, where: [{ type: 'equals', attribute: 'lastName', value: 'Nobody' }] });
    expect(r.text).toBe('true');
    expect(await members()).toEqual(['Mia']);
  });

  test.each([
    ['a where that is not a list', 'contacts', { massRelate: true, where: 'x' }, 400, "Bad 'where."],
    ['a link without massLink', 'teams', { massRelate: true, where: [] }, 403, 'Mass link is not allowed.'],
    ['an unknown link', 'spaceships', { massRelate: true, where: [] }, 403, 'Mass link is not allowed.'],
    ['a bad where item', 'contacts', { massRelate: true, where: [{ type: 'equals', attribute: 'colour', value: 'x' }] }, 400, "Not existing attribute 'colour' in where."],
  ])('%s (link %s) is refused', async (_what, link, body, status, text) => {
    const r = await a.post(`/TargetList/${list}/${link}`, body);
    expect([r.status, reason(r)]).toEqual([status, text]);
    expect(await members()).toEqual(['Mia']);
  });

  test('a missing record -> 404', async () => {
    const r = await a.post('/TargetList/0000000000000fffc/contacts', { massRelate: true, where: [] });
    expect(r.status).toBe(404);
  });
});
