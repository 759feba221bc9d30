// Writing relation columns through xColumns (espocrm.md §7, §8): Contact accountsColumns, Opportunity contactsColumns,
// Call/Meeting attendee status; EspoCRM's columnsValid failures; nothing changed on bad input.
import { makeApp, TestApp } from '../../helpers/app';
import { ADMIN_ID, Api, api, idOf, reason } from './espo';

let t: TestApp;
let a: Api;
let acme: string;
let bolt: string;
let cole: string;
beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  acme = (await a.post('/Account', { name: 'Acme' })).body.id;
  bolt = (await a.post('/Account', { name: 'Bolt' })).body.id;
  cole = (await a.post('/Account', { name: 'Cole' })).body.id;
});
afterAll(() => t.close());

const validation = (type: string, field: string) => ({
  status: 400,
  reason: `Field validation failure; entityType: ${type}, field: ${field}, type: columnsValid.`,
  body: { messageTranslation: { label: 'validationFailure', scope: null, data: { field, type: 'columnsValid' } } },
});

describe('Contact accountsColumns', () => {
  test('create: role and isInactive per account', async () => {
    const r = await a.post('/Contact', {
      lastName: 'Cols', accountsIds: [acme, bolt], accountsColumns: { [acme]: { role: 'CEO', isInactive: true }, [bolt]: { role: 'Advisor' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.accountsColumns).toEqual({ [acme]: { role: 'CEO', isInactive: true }, [bolt]: { role: 'Advisor', isInactive: false } });
    const stored = await t.core.get('contact', idOf(r.body.id), t.ctx);
    expect(stored.$columns?.account_ids).toEqual({ [idOf(acme)]: { role: 'CEO', is_inactive: true }, [idOf(bolt)]: { role: 'Advisor' } });
  });

  test('update without accountsIds: the given columns change, the others stay; a new id is linked, none unlinked', async () => {
    const c = await a.post('/Contact', { lastName: 'Upd', accountsIds: [acme, bolt], accountsColumns: { [acme]: { role: 'CEO', isInactive: true } } });
    const r = await a.put(`/Contact/${c.body.id}`, { accountsColumns: { [acme]: { role: 'Chair' }, [cole]: { role: 'Founder' } } });
    expect(r.status).toBe(200);
    expect(r.headers['x-record-link-updated']).toBe('true');
    expect(r.body.accountsIds).toEqual([acme, bolt, cole]);
    expect(r.body.accountsColumns).toEqual({
      [acme]: { role: 'Chair', isInactive: true }, [bolt]: { role: null, isInactive: false }, [cole]: { role: 'Founder', isInactive: false },
    });
  });

  test('with accountsIds: columns of ids not listed are ignored; the stored columns written back are no change', async () => {
    const c = await a.post('/Contact', { lastName: 'Listed', accountsIds: [acme], accountsColumns: { [acme]: { role: 'CTO' } } });
    const r = await a.put(`/Contact/${c.body.id}`, { accountsIds: [acme], accountsColumns: { [acme]: { role: 'CTO', isInactive: false }, [bolt]: { role: 'x' } } });
    expect(r.status).toBe(200);
    expect(r.body.accountsIds).toEqual([acme]);
    expect(r.body.modifiedAt).toBe(c.body.modifiedAt);
    expect(r.headers['x-record-link-updated']).toBeUndefined();
  });

  test('a column the link does not keep is ignored (EspoCRM drops it)', async () => {
    const c = await a.post('/Contact', { lastName: 'Odd', accountsIds: [acme] });
    const r = await a.put(`/Contact/${c.body.id}`, { accountsColumns: { [acme]: { colour: 'red', status: 'Accepted' } } });
    expect(r.status).toBe(200);
    expect(r.body.accountsColumns).toEqual({ [acme]: { role: null, isInactive: false } });
    expect(r.body.modifiedAt).toBe(c.body.modifiedAt);
  });

  test.each([
    ['not an object', 'role'],
    ['an item that is not an object', { ACME: 'CEO' }],
    ['isInactive not a boolean', { ACME: { isInactive: 'yes' } }],
    ['isInactive null', { ACME: { isInactive: null } }],
    ['role not a string', { ACME: { role: 7 } }],
    ['role with a bad character', { ACME: { role: '<b>boss</b>' } }],
    ['role longer than 100', { ACME: { role: 'r'.repeat(101) } }],
    ['a key that is not an id (nothing listed)', { 'not an id!': { role: 'x' } }],
  ])('%s: 400 columnsValid on field accounts, nothing changed', async (name, raw) => {
    const c = await a.post('/Contact', { lastName: name, accountsIds: [acme], accountsColumns: { [acme]: { role: 'Kept' } } });
    expect(c.status).toBe(200);
    const value = JSON.parse(JSON.stringify(raw).replace(/ACME/g, acme));
    const r = await a.put(`/Contact/${c.body.id}`, { title: 'Changed', accountsColumns: value });
    const want = validation('Contact', 'accounts');
    expect([r.status, reason(r), r.body]).toEqual([want.status, want.reason, want.body]);
    expect((await a.get(`/Contact/${c.body.id}`)).body).toEqual(c.body);
  });

  test('on create too: 400 and nothing stored', async () => {
    const before = await t.core.count('contact', undefined, t.ctx);
    const r = await a.post('/Contact', { lastName: 'Never', accountsIds: [acme], accountsColumns: { [acme]: { isInactive: 'no' } } });
    expect([r.status, reason(r)]).toEqual([400, validation('Contact', 'accounts').reason]);
    expect(await t.core.count('contact', undefined, t.ctx)).toBe(before);
  });

  test('a missing account named only in accountsColumns: 400 valid, nothing changed', async () => {
    const c = await a.post('/Contact', { lastName: 'Ghost', accountsIds: [acme] });
    const r = await a.put(`/Contact/${c.body.id}`, { accountsColumns: { '0000000000000ffff': { role: 'x' } } });
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('Field validation failure; entityType: Contact, field: accounts, type: valid.');
    expect((await a.get(`/Contact/${c.body.id}`)).body.accountsIds).toEqual([acme]);
  });
});

describe('Opportunity contactsColumns and attendee status', () => {
  test('opportunity role: one of Contact.opportunityRole options, else columnsValid', async () => {
    const ann = (await a.post('/Contact', { lastName: 'Ann' })).body.id;
    const o = await a.post('/Opportunity', { name: 'Deal', amount: 5, closeDate: '2026-12-31', contactsIds: [ann], contactsColumns: { [ann]: { role: 'Evaluator' } } });
    expect(o.body.contactsColumns).toEqual({ [ann]: { role: 'Evaluator' } });
    const ok = await a.put(`/Opportunity/${o.body.id}`, { contactsColumns: { [ann]: { role: 'Decision Maker' } } });
    expect(ok.body.contactsColumns).toEqual({ [ann]: { role: 'Decision Maker' } });
    const bad = await a.put(`/Opportunity/${o.body.id}`, { contactsColumns: { [ann]: { role: 'Champion' } } });
    expect([bad.status, reason(bad)]).toEqual([400, validation('Opportunity', 'contacts').reason]);
    expect((await a.get(`/Opportunity/${o.body.id}`)).body.contactsColumns).toEqual({ [ann]: { role: 'Decision Maker' } });
  });

  test.each(['Call', 'Meeting'])('%s: usersColumns, contactsColumns, leadsColumns status', async (type) => {
    const ann = (await a.post('/Contact', { lastName: `Att ${type}` })).body.id;
    const lee = (await a.post('/Lead', { lastName: `Lead ${type}` })).body.id;
    const r = await a.post(`/${type}`, {
      name: 'Sync', dateStart: '2026-05-04 09:00:00', dateEnd: '2026-05-04 10:00:00', assignedUserId: ADMIN_ID,
      usersIds: [ADMIN_ID], usersColumns: { [ADMIN_ID]: { status: 'Accepted' } },
      contactsColumns: { [ann]: { status: 'Tentative' } }, leadsIds: [lee],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      usersColumns: { [ADMIN_ID]: { status: 'Accepted' } }, contactsIds: [ann], contactsColumns: { [ann]: { status: 'Tentative' } },
      leadsColumns: { [lee]: { status: 'None' } },
    });
    // An attendee without a status shows the column's default, 'None', as EspoCRM's relation table does.
    const plain = await a.post(`/${type}`, { name: 'Plain', dateStart: '2026-05-04 09:00:00', dateEnd: '2026-05-04 10:00:00',
      assignedUserId: ADMIN_ID, contactsIds: [ann] });
    expect(plain.body.contactsColumns).toEqual({ [ann]: { status: 'None' } });
    expect((await a.get(`/${type}/${plain.body.id}`)).body.contactsColumns).toEqual({ [ann]: { status: 'None' } });
    const u = await a.put(`/${type}/${r.body.id}`, { leadsColumns: { [lee]: { status: 'Declined' } } });
    expect(u.body.leadsColumns).toEqual({ [lee]: { status: 'Declined' } });
    const bad = await a.put(`/${type}/${r.body.id}`, { usersColumns: { [ADMIN_ID]: { status: true } } });
    expect([bad.status, reason(bad)]).toEqual([400, validation(type, 'users').reason]);
    expect((await a.get(`/${type}/${r.body.id}`)).body.usersColumns).toEqual({ [ADMIN_ID]: { status: 'Accepted' } });
  });

  test('xColumns of a link without columns (Document accountsColumns) are ignored', async () => {
    const d = await a.post('/Document', { name: 'Doc', fileId: 'att1', publishDate: '2026-05-04', accountsIds: [acme], accountsColumns: { [acme]: { role: 'x' } } });
    expect(d.status).toBe(200);
    expect(d.body.accountsIds).toEqual([acme]);
    expect(d.body).not.toHaveProperty('accountsColumns');
  });
});
