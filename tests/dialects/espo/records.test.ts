// EspoCRM record CRUD (espocrm.md §6, §7): create, read, update, delete, and EspoCRM's own input rules.
import { makeApp, TestApp } from '../../helpers/app';
import { ADMIN_ID, Api, DATETIME, HEX_ID, api, count, idOf, reason } from './espo';

let t: TestApp;
let a: Api;
beforeAll(async () => { t = await makeApp(); a = api(t); });
afterAll(() => t.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('create', () => {
  test('answers 200 with the full record: hex ids, UTC datetimes, contact points, created by the caller', async () => {
    const r = await a.post('/Account', { name: 'Acme', type: 'Customer', emailAddress: 'info@acme.test', phoneNumber: '+1 555 0100', billingAddressCity: 'Paris' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['cache-control']).toContain('no-store');
    expect(r.headers.expires).toBe('0');
    expect(r.body.id).toMatch(HEX_ID);
    expect(r.body).toMatchObject({
      name: 'Acme', type: 'Customer', billingAddressCity: 'Paris', deleted: false, createdById: ADMIN_ID,
      createdByName: 'Administrator', modifiedById: null, emailAddress: 'info@acme.test', phoneNumber: '+1 555 0100',
      emailAddressIsOptedOut: false, teamsIds: [], teamsNames: {},
      emailAddressData: [{ emailAddress: 'info@acme.test', lower: 'info@acme.test', primary: true, optOut: false, invalid: false }],
      phoneNumberData: [{ phoneNumber: '+1 555 0100', type: 'Office', primary: true, optOut: false, invalid: false }],
    });
    expect(r.body.createdAt).toMatch(DATETIME);
    expect(r.body.modifiedAt).toBe(r.body.createdAt);
    const stored = await t.core.get('account', idOf(r.body.id), t.ctx);
    expect(stored.name).toBe('Acme');
  });

  test('drops id, read-only and unknown attributes; completes HH:MM datetimes', async () => {
    const r = await a.post('/Call', {
      id: '0000000000000abcd', name: 'Kick-off', dateStart: '2026-05-04 09:15', dateEnd: '2026-05-04 10:00:00',
      assignedUserId: ADMIN_ID, colour: 'red', createdAt: '2001-01-01 00:00:00', deleted: true, direction: 'Inbound',
    });
    expect(r.status).toBe(200);
    expect(r.body.id).not.toBe('0000000000000abcd');
    expect(r.body).toMatchObject({ name: 'Kick-off', dateStart: '2026-05-04 09:15:00', dateEnd: '2026-05-04 10:00:00', status: 'Planned', direction: 'Inbound', deleted: false });
    expect(r.body.colour).toBeUndefined();
    expect(r.body.createdAt).not.toBe('2001-01-01 00:00:00');
  });

  test('person name, links and links-many', async () => {
    const acc = await a.post('/Account', { name: 'Bolt Ltd' });
    const r = await a.post('/Contact', { salutationName: 'Ms.', firstName: 'Ann', lastName: 'Lee', accountId: acc.body.id, title: 'CTO',
      phoneNumberData: [{ phoneNumber: '+44 1', type: 'Mobile', primary: true }, { phoneNumber: '+44 2', type: 'Home' }] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Ann Lee', salutationName: 'Ms.', accountId: acc.body.id, accountName: 'Bolt Ltd', accountsIds: [acc.body.id] });
    expect(r.body.accountsNames).toEqual({ [acc.body.id]: 'Bolt Ltd' });
    expect(r.body.accountsColumns[acc.body.id]).toMatchObject({ role: 'CTO', isInactive: false });
    expect(r.body.phoneNumber).toBe('+44 1');
    expect(r.body.phoneNumberData.map((p: { type: string }) => p.type)).toEqual(['Mobile', 'Home']);
  });

  test('a first phone number takes the entity\'s default type (Contact: Mobile); a new number keeps the stored type', async () => {
    const c = await a.post('/Contact', { lastName: 'Phone', phoneNumber: '+33 1' });
    expect(c.body.phoneNumberData).toEqual([{ phoneNumber: '+33 1', type: 'Mobile', primary: true, optOut: false, invalid: false }]);
    const u = await a.put(`/Contact/${c.body.id}`, { phoneNumber: '+33 2' });
    expect(u.body.phoneNumberData).toEqual([{ phoneNumber: '+33 2', type: 'Mobile', primary: true, optOut: false, invalid: false }]);
  });

  test.each([
    ['Contact', { firstName: 'Ann' }, 'lastName', 'required'],
    ['Opportunity', { name: 'Deal', closeDate: '2026-12-31' }, 'amount', 'required'],
    ['Opportunity', { amount: 10, closeDate: '2026-12-31' }, 'name', 'required'],
    ['Opportunity', { name: 'Deal', amount: 10 }, 'closeDate', 'required'],
    ['Opportunity', { name: 'Deal', amount: -5, closeDate: '2026-12-31' }, 'amount', 'min'],
    ['Opportunity', { name: 'Deal', amount: 'lots', closeDate: '2026-12-31' }, 'amount', 'valid'],
    ['Opportunity', { name: 'Deal', amount: 1, closeDate: '31/12/2026' }, 'closeDate', 'valid'],
    ['Account', { name: 'X', type: 'Nonsense' }, 'type', 'valid'],
    ['Account', { name: 'X', emailAddress: 'not-an-email' }, 'emailAddress', 'emailAddress'],
    ['Account', { name: 'X'.repeat(300) }, 'name', 'maxLength'],
    ['Account', { name: 'X', campaignId: 'zzz' }, 'campaign', 'valid'],
    ['Call', { name: 'C', dateStart: '2026-05-04T09:15:00Z', dateEnd: '2026-05-04 10:00:00', assignedUserId: ADMIN_ID }, 'dateStart', 'valid'],
    ['Task', { name: 'T' }, 'assignedUser', 'required'],
    ['Task', { name: 'T', assignedUserId: ADMIN_ID, parentType: 'Account', parentId: '0000000000000ffff' }, 'parent', 'valid'],
    ['Case', { status: 'New' }, 'name', 'required'],
    ['Lead', { lastName: 'L', doNotCall: 'maybe' }, 'doNotCall', 'valid'],
  ])('%s %j -> 400 %s %s, nothing stored', async (type, body, field, rule) => {
    const entity = { Contact: 'contact', Opportunity: 'opportunity', Account: 'account', Call: 'activity', Task: 'activity', Case: 'case', Lead: 'lead' }[type]!;
    const before = await count(t, entity);
    const r = await a.post(`/${type}`, body);
    expect(r.status).toBe(400);
    expect(reason(r)).toBe(`Field validation failure; entityType: ${type}, field: ${field}, type: ${rule}.`);
    expect(r.body).toEqual({ messageTranslation: { label: 'validationFailure', scope: null, data: { field, type: rule } } });
    expect(await count(t, entity)).toBe(before);
  });

  test('a core rule on a generic entity is rendered the same way (OpportunityLine needs its opportunity)', async () => {
    const r = await a.post('/OpportunityLine', { name: 'Widget', quantity: 2 });
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('Field validation failure; entityType: OpportunityLine, field: opportunity, type: required.');
  });

  test('Opportunity: stage default and probability from the stage map, currency code', async () => {
    const r = await a.post('/Opportunity', { name: 'Big deal', amount: 5000, closeDate: '2026-12-31', stage: 'Proposal' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ stage: 'Proposal', probability: 50, amount: 5000, amountCurrency: 'USD', closeDate: '2026-12-31' });
  });

  test('Case gets its number', async () => {
    const r1 = await a.post('/Case', { name: 'Printer on fire' });
    const r2 = await a.post('/Case', { name: 'Printer still on fire' });
    expect(r2.body.number).toBe(r1.body.number + 1);
    expect(r1.body).toMatchObject({ status: 'New', priority: 'Normal' });
  });
});

describe('read', () => {
  test('a record by id, with every attribute', async () => {
    const c = await a.post('/Lead', { firstName: 'Bo', lastName: 'Ek', status: 'New', emailAddress: 'bo@ek.test' });
    const r = await a.get(`/Lead/${c.body.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(c.body);
  });

  test('missing, malformed and other-type ids are 404 "does not exist"', async () => {
    for (const id of ['0000000000000ffff', 'not-hex!', '66a1ffffffffffff0']) {
      const r = await a.get(`/Opportunity/${id}`);
      expect(r.status).toBe(404);
      expect(reason(r)).toBe(`Record ${id} does not exist.`);
      expect(r.text).toBe('');
    }
    const acc = await a.post('/Account', { name: 'Not an opportunity' });
    const r = await a.get(`/Opportunity/${acc.body.id}`);
    expect(r.status).toBe(404);
  });
});

describe('update', () => {
  test('PUT is partial; only changed values; modifiedAt moves only on a change', async () => {
    const c = await a.post('/Account', { name: 'Slow Co', website: 'slow.test' });
    await sleep(1100);
    const same = await a.put(`/Account/${c.body.id}`, { name: 'Slow Co' });
    expect(same.status).toBe(200);
    expect(same.body.modifiedAt).toBe(c.body.modifiedAt);
    expect(same.body.modifiedById).toBeNull();
    const changed = await a.put(`/Account/${c.body.id}`, { industry: 'Banking' });
    expect(changed.body).toMatchObject({ name: 'Slow Co', website: 'slow.test', industry: 'Banking', modifiedById: ADMIN_ID });
    expect(changed.body.modifiedAt > c.body.modifiedAt).toBe(true);
  });

  test('PATCH is an alias; a whole read written back is a no-op (R1)', async () => {
    const c = await a.post('/Contact', { firstName: 'Cy', lastName: 'Po', emailAddress: 'cy@po.test' });
    const back = await a.patch(`/Contact/${c.body.id}`, c.body);
    expect(back.status).toBe(200);
    expect(back.body.modifiedAt).toBe(c.body.modifiedAt);
    const r = await a.patch(`/Contact/${c.body.id}`, { lastName: 'Pol', emailAddressData: [{ emailAddress: 'new@po.test', primary: true }, { emailAddress: 'cy@po.test' }] });
    expect(r.body).toMatchObject({ name: 'Cy Pol', emailAddress: 'new@po.test' });
    expect(r.body.emailAddressData).toHaveLength(2);
  });

  test('an enum value outside the list is refused, unless it is the stored one', async () => {
    const acc = await t.core.create('account', { name: 'Odd', type: 'Galactic' }, t.ctx);
    const hex = acc.id.toString(16).padStart(17, '0');
    const ok = await a.put(`/Account/${hex}`, { type: 'Galactic', name: 'Odd 2' });
    expect(ok.status).toBe(200);
    expect(ok.body.type).toBe('Galactic');
    const bad = await a.put(`/Account/${hex}`, { type: 'Cosmic' });
    expect(bad.status).toBe(400);
    expect(reason(bad)).toBe('Field validation failure; entityType: Account, field: type, type: valid.');
    expect((await t.core.get('account', acc.id, t.ctx)).type).toBe('Galactic');
  });

  test('clearing a required attribute is refused', async () => {
    const c = await a.post('/Contact', { lastName: 'Keep' });
    const r = await a.put(`/Contact/${c.body.id}`, { lastName: '' });
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('Field validation failure; entityType: Contact, field: lastName, type: required.');
  });

  test('missing record: 404 "not found"', async () => {
    const r = await a.put('/Account/0000000000000ffff', { name: 'x' });
    expect(r.status).toBe(404);
    expect(reason(r)).toBe('Record 0000000000000ffff not found.');
  });
});

describe('delete', () => {
  test('soft delete answers true; the record leaves lists; an admin still reads it as deleted', async () => {
    const c = await a.post('/Account', { name: 'Doomed' });
    const before = await count(t, 'account');
    const r = await a.del(`/Account/${c.body.id}`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('true');
    expect(await count(t, 'account')).toBe(before - 1);
    const read = await a.get(`/Account/${c.body.id}`);
    expect(read.body.deleted).toBe(true);
    const again = await a.del(`/Account/${c.body.id}`);
    expect(again.status).toBe(404);
    expect(reason(again)).toBe(`Record ${c.body.id} not found.`);
  });
});

describe('duplicates (espocrm.md §10)', () => {
  test('a lead with a known email is 409 duplicate with the found records; skipped on request', async () => {
    const first = await a.post('/Lead', { firstName: 'Dee', lastName: 'Upe', emailAddress: 'dee@dup.test' });
    const before = await count(t, 'lead');
    const r = await a.post('/Lead', { firstName: 'Other', lastName: 'Person', emailAddress: 'DEE@dup.test' });
    expect(r.status).toBe(409);
    expect(reason(r)).toBe('duplicate');
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ id: first.body.id, name: 'Dee Upe', emailAddress: 'dee@dup.test', deleted: false });
    expect(await count(t, 'lead')).toBe(before);
    const skipped = await a.post('/Lead', { firstName: 'Other', lastName: 'Person', emailAddress: 'dee@dup.test' }, { 'X-Skip-Duplicate-Check': 'TRUE' });
    expect(skipped.status).toBe(200);
    const legacy = await a.post('/Lead', { firstName: 'Dee', lastName: 'Upe', _skipDuplicateCheck: true });
    expect(legacy.status).toBe(200);
    expect(await count(t, 'lead')).toBe(before + 2);
  });

  test('contacts by first + last name, accounts by name (any case); other entities never', async () => {
    await a.post('/Contact', { firstName: 'Sam', lastName: 'Same' });
    expect((await a.post('/Contact', { firstName: 'Sam', lastName: 'Same' })).status).toBe(409);
    expect((await a.post('/Contact', { firstName: 'Sam', lastName: 'Other' })).status).toBe(200);
    await a.post('/Account', { name: 'Twin Corp' });
    const r = await a.post('/Account', { name: 'twin corp' });
    expect(r.status).toBe(409);
    expect(r.body[0].name).toBe('Twin Corp');
    await a.post('/Case', { name: 'Same case' });
    expect((await a.post('/Case', { name: 'Same case' })).status).toBe(200);
  });
});
