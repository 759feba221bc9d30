// EspoCRM actions (espocrm.md §9): mass update / delete (legacy and POST /MassAction), lead conversion.
import { makeApp, TestApp } from '../../helpers/app';
import { Api, HEX_ID, api, count, idOf, reason } from './espo';

let t: TestApp;
let a: Api;
beforeAll(async () => { t = await makeApp(); a = api(t); });
afterAll(() => t.close());

async function leads(...specs: [string, string][]): Promise<string[]> {
  const out: string[] = [];
  for (const [lastName, status] of specs) out.push((await a.post('/Lead', { lastName, status }, { 'X-Skip-Duplicate-Check': 'true' })).body.id);
  return out;
}

const statusOf = async (id: string) => (await a.get(`/Lead/${id}`)).body.status;

describe('mass update', () => {
  test('legacy PUT /{E}/action/massUpdate by ids -> {count, ids}', async () => {
    const [l1, l2] = await leads(['M1', 'New'], ['M2', 'New']);
    const r = await a.put('/Lead/action/massUpdate', { ids: [l1, l2], attributes: { status: 'Assigned' } });
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(2);
    expect(r.body.ids.sort()).toEqual([l1, l2].sort());
    expect(await statusOf(l1)).toBe('Assigned');
  });

  test('legacy by where -> {count}', async () => {
    const [l1] = await leads(['W1', 'Recycled']);
    const r = await a.put('/Lead/action/massUpdate', { byWhere: true, where: [{ type: 'equals', attribute: 'status', value: 'Recycled' }], attributes: { status: 'In Process' } });
    expect(r.body).toEqual({ count: 1 });
    expect(await statusOf(l1)).toBe('In Process');
  });

  test('POST /MassAction update by ids and by where; only changed records count', async () => {
    const [l1, l2] = await leads(['N1', 'Dead'], ['N2', 'Assigned']);
    const r = await a.post('/MassAction', { entityType: 'Lead', action: 'update', params: { ids: [l1, l2] }, data: { values: { status: 'Assigned' } } });
    expect(r.body).toEqual({ count: 1, ids: [l1] });
    const w = await a.post('/MassAction', { entityType: 'Lead', action: 'update', params: { where: [{ type: 'in', attribute: 'id', value: [l1, l2] }] }, data: { source: 'Call' } });
    expect(w.body).toEqual({ count: 2 });
    expect((await a.get(`/Lead/${l2}`)).body.source).toBe('Call');
  });

  test('an invalid value skips every record (count 0), data unchanged', async () => {
    const [l1] = await leads(['Bad1', 'New']);
    const r = await a.post('/MassAction', { entityType: 'Lead', action: 'update', params: { ids: [l1] }, data: { values: { status: 'Nope' } } });
    expect(r.body).toEqual({ count: 0, ids: [] });
    expect(await statusOf(l1)).toBe('New');
  });

  test('Opportunity stage without probability also sets the probability', async () => {
    const o = (await a.post('/Opportunity', { name: 'MassOpp', amount: 1, closeDate: '2026-01-01' })).body.id;
    await a.post('/MassAction', { entityType: 'Opportunity', action: 'update', params: { ids: [o] }, data: { values: { stage: 'Negotiation' } } });
    expect((await a.get(`/Opportunity/${o}`)).body).toMatchObject({ stage: 'Negotiation', probability: 80 });
  });
});

describe('mass delete', () => {
  test('legacy POST /{E}/action/massDelete by ids', async () => {
    const [l1, l2] = await leads(['D1', 'New'], ['D2', 'New']);
    const before = await count(t, 'lead');
    const r = await a.post('/Lead/action/massDelete', { ids: [l1, l2] });
    expect(r.body.count).toBe(2);
    expect(await count(t, 'lead')).toBe(before - 2);
  });

  test('POST /MassAction delete by where on Call touches only calls', async () => {
    const admin = '00000000000000001';
    const call = (await a.post('/Call', { name: 'Zap', assignedUserId: admin, dateStart: '2026-01-01 10:00', dateEnd: '2026-01-01 11:00' })).body.id;
    const task = (await a.post('/Task', { name: 'Zap', assignedUserId: admin })).body.id;
    const r = await a.post('/MassAction', { entityType: 'Call', action: 'delete', params: { where: [{ type: 'equals', attribute: 'name', value: 'Zap' }] } });
    expect(r.body).toEqual({ count: 1 });
    expect((await a.get(`/Task/${task}`)).body.deleted).toBe(false);
    expect((await a.get(`/Call/${call}`)).body.deleted).toBe(true);
  });
});

describe('mass action errors', () => {
  test.each([
    [{ entityType: 'Lead', action: 'update' }, 400, undefined],
    [{ entityType: 'Lead', action: 'follow', params: { ids: [] } }, 404, "Mass action 'follow' not found."],
    [{ entityType: 'Lead', action: 'update', params: {} }, 400, 'Bad search params for mass action.'],
    [{ entityType: 'Spaceship', action: 'update', params: { ids: [] } }, 404, "Controller 'Spaceship' does not exist."],
  ])('%j -> %i', async (body, status, text) => {
    const before = await count(t, 'lead');
    const r = await a.post('/MassAction', body);
    expect(r.status).toBe(status);
    expect(reason(r)).toBe(text);
    expect(await count(t, 'lead')).toBe(before);
  });

  test('unknown action on a known controller', async () => {
    const r = await a.put('/Lead/action/massExplode', {});
    expect(r.status).toBe(404);
    expect(reason(r)).toBe("Action PUT 'massExplode' does not exist in controller 'Lead'.");
  });
});

describe('lead conversion', () => {
  test('POST /Lead/action/convert creates the records and marks the lead Converted', async () => {
    const lead = (await a.post('/Lead', { firstName: 'Cora', lastName: 'Vert', accountName: 'Vert Inc', emailAddress: 'cora@vert.test', opportunityAmount: 900 })).body.id;
    const r = await a.post('/Lead/action/convert', {
      id: lead,
      records: { Account: { name: 'Vert Inc' }, Contact: { firstName: 'Cora', lastName: 'Vert' }, Opportunity: { name: 'Vert deal', closeDate: '2026-12-31' } },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: lead, status: 'Converted' });
    expect(r.body.convertedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    for (const k of ['createdAccountId', 'createdContactId', 'createdOpportunityId']) expect(r.body[k]).toMatch(HEX_ID);
    const contact = await a.get(`/Contact/${r.body.createdContactId}`);
    expect(contact.body).toMatchObject({ accountId: r.body.createdAccountId, emailAddress: 'cora@vert.test', originalLeadId: lead });
    const opp = await a.get(`/Opportunity/${r.body.createdOpportunityId}`);
    expect(opp.body).toMatchObject({ amount: 900, accountId: r.body.createdAccountId, contactId: r.body.createdContactId });
  });

  test('without an Account, the contact\'s own account is the opportunity\'s; createdAccountId stays null', async () => {
    const own = (await a.post('/Account', { name: 'Own Account' })).body.id;
    const lead = (await a.post('/Lead', { lastName: 'Owned' })).body.id;
    const r = await a.post('/Lead/action/convert', {
      id: lead, records: { Contact: { lastName: 'Owned', accountId: own }, Opportunity: { name: 'Own deal', amount: 1, closeDate: '2026-12-31' } },
    });
    expect(r.body).toMatchObject({ status: 'Converted', createdAccountId: null });
    const opp = await a.get(`/Opportunity/${r.body.createdOpportunityId}`);
    expect(opp.body).toMatchObject({ accountId: own, contactId: r.body.createdContactId, contactsIds: [r.body.createdContactId] });
    expect((await a.get(`/Contact/${r.body.createdContactId}`)).body.accountId).toBe(own);
  });

  test('legacy POST /Lead/{id}/action/convert; a duplicate contact answers 409 [{id, name, _entityType}]', async () => {
    const lead = (await a.post('/Lead', { firstName: 'Cora', lastName: 'Vert' }, { 'X-Skip-Duplicate-Check': 'true' })).body.id;
    const before = await count(t, 'contact');
    const dup = await a.post(`/Lead/${lead}/action/convert`, { records: { Contact: { firstName: 'Cora', lastName: 'Vert' } } });
    expect(dup.status).toBe(409);
    expect(reason(dup)).toBe('duplicate');
    expect(dup.body).toEqual([{ id: expect.stringMatching(HEX_ID), name: 'Cora Vert', _entityType: 'Contact' }]);
    expect(await count(t, 'contact')).toBe(before);
    const ok = await a.post(`/Lead/${lead}/action/convert`, { records: { Contact: {} }, skipDuplicateCheck: true });
    expect(ok.status).toBe(200);
    expect(ok.body.createdContactId).toMatch(HEX_ID);
    expect(ok.body.createdAccountId).toBeNull();
    expect(await count(t, 'contact')).toBe(before + 1);
  });

  test('validation of the payloads, bad requests, missing lead', async () => {
    const lead = (await a.post('/Lead', { lastName: 'Val', status: 'New' }, { 'X-Skip-Duplicate-Check': 'true' })).body.id;
    const v = await a.post('/Lead/action/convert', { id: lead, records: { Opportunity: { name: 'No close date', amount: 5 } } });
    expect(v.status).toBe(400);
    expect(reason(v)).toBe('Field validation failure; entityType: Opportunity, field: closeDate, type: required.');
    expect(await statusOf(lead)).toBe('New');
    expect((await a.post('/Lead/action/convert', { id: lead })).status).toBe(400);
    expect((await a.post('/Lead/action/convert', { records: {} })).status).toBe(400);
    expect((await a.post('/Lead/action/convert', { id: '0000000000000ffff', records: {} })).status).toBe(404);
  });

  test('getConvertAttributes prefills from the lead', async () => {
    const lead = (await a.post('/Lead', { firstName: 'Pre', lastName: 'Fill', accountName: 'Fill Co', source: 'Web Site', opportunityAmount: 50, addressCity: 'Oslo', emailAddress: 'pre@fill.test' })).body.id;
    const r = await a.post('/Lead/action/getConvertAttributes', { id: lead });
    expect(r.status).toBe(200);
    expect(r.body.Account).toMatchObject({ name: 'Fill Co', billingAddressCity: 'Oslo', emailAddress: 'pre@fill.test' });
    expect(r.body.Contact).toMatchObject({ firstName: 'Pre', lastName: 'Fill', addressCity: 'Oslo' });
    expect(r.body.Opportunity).toMatchObject({ name: 'Fill Co', amount: 50, leadSource: 'Web Site' });
    expect(idOf(lead)).toBeGreaterThan(0);
  });
});
