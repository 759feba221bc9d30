// EspoCRM's save hooks (espocrm.md §8 "Side effects"; Hooks/Contact/Accounts.php, Hooks/Opportunity/Contacts.php):
// a contact's primary account and its title, an opportunity's primary contact.
import { makeApp, TestApp } from '../../helpers/app';
import { Api, api } from './espo';

let t: TestApp;
let a: Api;
let acme: string;
let bolt: string;
beforeAll(async () => {
  t = await makeApp(); a = api(t);
  acme = (await a.post('/Account', { name: 'Acme' })).body.id;
  bolt = (await a.post('/Account', { name: 'Bolt' })).body.id;
});
afterAll(() => t.close());

const deal = { name: 'Deal', amount: 5, amountCurrency: 'USD', closeDate: '2026-12-31' };

describe('Contact: primary account and title', () => {
  test('accounts given without a primary account: the first one becomes primary', async () => {
    const c = await a.post('/Contact', { lastName: 'Only', accountsIds: [bolt, acme] });
    expect(c.body).toMatchObject({ accountId: bolt, accountName: 'Bolt' });
    expect([...c.body.accountsIds].sort()).toEqual([acme, bolt].sort());
    const u = await a.put(`/Contact/${c.body.id}`, { accountId: null, accountsIds: [acme] });
    expect(u.body).toMatchObject({ accountId: acme, accountsIds: [acme] });
  });

  test('clearing the primary account unrelates it', async () => {
    const c = await a.post('/Contact', { lastName: 'Clear', accountId: acme });
    const u = await a.put(`/Contact/${c.body.id}`, { accountId: null });
    expect(u.body).toMatchObject({ accountId: null, accountsIds: [] });
  });

  test('a new title is the role on the primary account', async () => {
    const c = await a.post('/Contact', { lastName: 'Title', accountId: acme, title: 'CEO' });
    expect(c.body.accountsColumns[acme].role).toBe('CEO');
    const u = await a.put(`/Contact/${c.body.id}`, { title: 'CTO' });
    expect(u.body.title).toBe('CTO');
    expect(u.body.accountsColumns[acme]).toEqual({ role: 'CTO', isInactive: false });
    expect(u.headers['x-record-link-updated']).toBeUndefined(); // the hook's role write is no link change
  });

  test('a role changed through accountsColumns is the title; another account\'s role is not', async () => {
    const c = await a.post('/Contact', { lastName: 'Role', accountId: acme, title: 'CEO' });
    const u = await a.put(`/Contact/${c.body.id}`, { accountsColumns: { [acme]: { role: 'CFO' } } });
    expect(u.body.title).toBe('CFO');
    expect((await a.get(`/Contact/${c.body.id}`)).body.title).toBe('CFO');
    const other = await a.put(`/Contact/${c.body.id}`, { accountsIds: [acme, bolt], accountsColumns: { [bolt]: { role: 'Advisor' } } });
    expect(other.body).toMatchObject({ title: 'CFO', accountId: acme });
    expect(other.body.accountsColumns[bolt].role).toBe('Advisor');
  });

  test('moving the primary account to a related one shows that row\'s role as title', async () => {
    const c = await a.post('/Contact', { lastName: 'Move', accountId: acme, title: 'CEO' });
    await a.put(`/Contact/${c.body.id}`, { accountsIds: [acme, bolt], accountsColumns: { [bolt]: { role: 'Advisor' } } });
    const u = await a.put(`/Contact/${c.body.id}`, { accountId: bolt });
    expect(u.body).toMatchObject({ accountId: bolt, title: 'Advisor' });
  });
});

describe('relating accounts to a contact (Accounts::afterRelate)', () => {
  test('the first account related to a contact without a primary account becomes primary; later ones do not', async () => {
    const c = await a.post('/Contact', { lastName: 'Related' });
    expect((await a.post(`/Contact/${c.body.id}/accounts`, { ids: [bolt, acme] })).body).toBe(true);
    expect((await a.get(`/Contact/${c.body.id}`)).body).toMatchObject({ accountId: bolt, accountName: 'Bolt' });
    const d = await a.post('/Contact', { lastName: 'Kept', accountId: acme });
    await a.post(`/Contact/${d.body.id}/accounts`, { id: bolt });
    expect((await a.get(`/Contact/${d.body.id}`)).body.accountId).toBe(acme);
  });

  test('relating from the account side sets no primary account (the hook is the contact\'s)', async () => {
    const c = await a.post('/Contact', { lastName: 'Other side' });
    await a.post(`/Account/${acme}/contacts`, { id: c.body.id });
    expect((await a.get(`/Contact/${c.body.id}`)).body).toMatchObject({ accountId: null, accountsIds: [acme] });
  });
});

describe('Opportunity: primary contact', () => {
  test('a primary contact is also related in contacts; clearing it unrelates that one only', async () => {
    const ann = (await a.post('/Contact', { lastName: 'Ann' })).body.id;
    const ben = (await a.post('/Contact', { lastName: 'Ben' })).body.id;
    const o = await a.post('/Opportunity', { ...deal, contactId: ann });
    expect(o.body).toMatchObject({ contactId: ann, contactsIds: [ann] });
    const both = await a.put(`/Opportunity/${o.body.id}`, { contactId: ben });
    expect(both.body.contactsIds).toEqual([ann, ben]);
    expect(both.headers['x-record-link-updated']).toBe('true');
    const cleared = await a.put(`/Opportunity/${o.body.id}`, { contactId: null });
    expect(cleared.body).toMatchObject({ contactId: null, contactsIds: [ann] });
  });

  test('a mass update of contactId leaves the contacts as they are (the hook needs each record)', async () => {
    const cid = (await a.post('/Contact', { lastName: 'Mass' })).body.id;
    const o = await a.post('/Opportunity', deal);
    const r = await a.post('/MassAction', { entityType: 'Opportunity', action: 'update', params: { ids: [o.body.id] }, data: { values: { contactId: cid } } });
    expect(r.body).toEqual({ count: 1, ids: [o.body.id] });
    expect((await a.get(`/Opportunity/${o.body.id}`)).body).toMatchObject({ contactId: cid, contactsIds: [] });
  });
});
