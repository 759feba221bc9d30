// GET /Metadata, generic entities, and the 500 shape of an unexpected fault.
import { makeApp, TestApp } from '../../helpers/app';
import { Api, HEX_ID, api, reason } from './espo';

let t: TestApp;
let a: Api;
beforeAll(async () => { t = await makeApp(); a = api(t); });
afterAll(() => t.close());

test('GET /Metadata: entity defs with picklist options, links and scopes', async () => {
  const r = await a.get('/Metadata');
  expect(r.status).toBe(200);
  const account = r.body.entityDefs.Account;
  expect(account.fields.name).toMatchObject({ type: 'varchar', required: true });
  expect(account.fields.type.options).toEqual(expect.arrayContaining(['', 'Customer', 'Investor', 'Partner', 'Reseller']));
  expect(account.links.contacts).toEqual({ type: 'manyMany', entity: 'Contact' });
  expect(r.body.entityDefs.Lead.fields.status).toMatchObject({ type: 'enum', default: 'New' });
  expect(r.body.entityDefs.Opportunity.fields.closeDate).toMatchObject({ type: 'date', required: true });
  expect(Object.keys(r.body.scopes)).toEqual(expect.arrayContaining(['Account', 'Task', 'Call', 'Meeting', 'OpportunityLine', 'Product']));
  expect(r.body.scopes.Tag).toBeUndefined();
  expect(r.body.scopes.Email.countDisabled).toBe(true);
});

test('GET /Metadata names fields as EspoCRM does: Document `file` (type file, no fileName), Email `messageId`', async () => {
  const defs = (await a.get('/Metadata')).body.entityDefs;
  expect(defs.Document.fields.file).toEqual({ type: 'file', required: true });
  expect(defs.Document.fields).not.toHaveProperty('fileName');
  expect(defs.Document.fields).not.toHaveProperty('fileId');
  expect(defs.Email.fields.messageId).toMatchObject({ type: 'varchar' });
  expect(defs.Email.fields).not.toHaveProperty('message');
  const i18n = (await a.get('/I18n')).body;
  expect(Object.keys(i18n.Document.fields)).toEqual(expect.arrayContaining(['file']));
  expect(Object.keys(i18n.Document.fields)).not.toContain('fileName');
});

test('generic entities follow the naming rule: Product, OpportunityLine and Opportunity.opportunityLines', async () => {
  const product = await a.post('/Product', { name: 'Widget', unitPrice: 9.5, code: 'W-1' });
  expect(product.status).toBe(200);
  expect(product.body).toMatchObject({ name: 'Widget', unitPrice: 9.5, unitPriceCurrency: 'USD', code: 'W-1', isActive: true });
  const opp = await a.post('/Opportunity', { name: 'Lines', amount: 19, closeDate: '2026-03-01' });
  const line = await a.post('/OpportunityLine', { opportunityId: opp.body.id, productId: product.body.id, quantity: 2, unitPrice: 9.5 });
  expect(line.status).toBe(200);
  expect(line.body).toMatchObject({ opportunityId: opp.body.id, opportunityName: 'Lines', productName: 'Widget', quantity: 2 });
  expect(line.body.id).toMatch(HEX_ID);
  const lines = await a.get(`/Opportunity/${opp.body.id}/opportunityLines`);
  expect(lines.body).toMatchObject({ total: 1, list: [{ id: line.body.id }] });
});

test('an unexpected fault: 500, X-Status-Reason error, no body, no stack', async () => {
  const spy = jest.spyOn(t.core, 'find').mockRejectedValueOnce(new Error('disk on fire at /secret/path'));
  try {
    const r = await a.get('/Account');
    expect(r.status).toBe(500);
    expect(reason(r)).toBe('error');
    expect(r.text).toBe('');
  } finally {
    spy.mockRestore();
  }
  expect((await a.get('/Account')).status).toBe(200);
});
