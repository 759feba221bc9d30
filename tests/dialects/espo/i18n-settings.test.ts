// GET /I18n and GET /Settings (espocrm.md §1): public app data, answered before authentication, built from the
// registry so that it names what /Metadata and the records name.
import request from 'supertest';
import { makeApp, TestApp } from '../../helpers/app';
import { Api, KEY, api } from './espo';
import { humanize } from '../../../dialects/espo/i18n';

let t: TestApp;
let a: Api;
beforeAll(async () => { t = await makeApp(); a = api(t); });
afterAll(() => t.close());

const open = (path: string) => request(t.app).get(`/api/v1${path}`);
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe.each(['/I18n', '/Settings'])('%s needs no credentials', (path) => {
  test.each<[string, Record<string, string>]>([
    ['none', {}],
    ['a wrong X-Api-Key', { 'X-Api-Key': 'wrong' }],
    ['a wrong HMAC header', { 'X-Hmac-Authorization': b64('nokey:0000') }],
    ['a malformed Espo-Authorization (400 elsewhere)', { 'Espo-Authorization': b64('no-colon') }],
    ['the right key', KEY],
  ])('%s: 200 with the EspoCRM response headers', async (_n, headers) => {
    const r = await open(path).set(headers);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['x-app-timestamp']).toBeDefined();
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(Object.keys(r.body).length).toBeGreaterThan(5);
  });

  test('only GET with that exact name is public', async () => {
    expect((await open(path.toLowerCase())).status).toBe(401);
    expect((await request(t.app).post(`/api/v1${path}`).send({})).status).toBe(401);
    expect((await request(t.app).put(`/api/v1${path}`).send({})).status).toBe(401);
  });
});

describe('GET /Settings', () => {
  test('the values the gateway really uses: zone, currencies, page cap, scopes', async () => {
    const r = await open('/Settings');
    expect(r.body).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/), language: 'en_US', timeZone: 'UTC',
      currencyList: ['USD'], defaultCurrency: 'USD', baseCurrency: 'USD', recordListMaxSizeLimit: 200,
      personNameFormat: 'firstLast', recordsPerPage: 20, recordsPerPageSmall: 5, weekStart: 0,
      dateFormat: expect.any(String), timeFormat: expect.any(String),
    });
    expect(r.body.tabList).toEqual(expect.arrayContaining(['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Task', 'Call', 'Meeting']));
    expect(r.body.tabList).not.toContain('Tag');
    expect(r.body.tabList).not.toContain('Settings');
  });

  test('the default currency is the one the core fills in: an amount without a code gets it', async () => {
    const settings = (await open('/Settings')).body;
    const opp = await a.post('/Opportunity', { name: 'Coded', amount: 5, closeDate: '2026-01-01' });
    expect(opp.body.amountCurrency).toBe(settings.defaultCurrency);
  });

  test('maxSize above recordListMaxSizeLimit is refused', async () => {
    const { recordListMaxSizeLimit } = (await open('/Settings')).body;
    expect((await a.get(`/Account?maxSize=${recordListMaxSizeLimit}`)).status).toBe(200);
    expect((await a.get(`/Account?maxSize=${recordListMaxSizeLimit + 1}`)).status).toBe(403);
  });

  test('every tab is a scope of /Metadata', async () => {
    const [settings, meta] = [(await open('/Settings')).body, (await a.get('/Metadata')).body];
    for (const tab of settings.tabList) expect(meta.scopes[tab]).toBeDefined();
  });
});

describe('GET /I18n', () => {
  test('scopes, fields, links and picklist options, labelled', async () => {
    const r = await open('/I18n');
    expect(r.body.Global.scopeNames).toMatchObject({ Account: 'Account', OpportunityLine: 'Opportunity Line', Call: 'Call' });
    expect(r.body.Global.scopeNamesPlural).toMatchObject({ Opportunity: 'Opportunities', Case: 'Cases', Meeting: 'Meetings' });
    expect(r.body.Global.fields).toMatchObject({ createdAt: 'Created At', assignedUser: 'Assigned User' });
    expect(r.body.Global.boolFilters).toMatchObject({ onlyMy: 'Only My' });
    expect(r.body.Global.lists.dayNames[0]).toBe('Sunday');
    expect(r.body.Global.lists.monthNamesShort[11]).toBe('Dec');
    expect(r.body.Lead.fields).toMatchObject({ emailAddress: 'Email Address', doNotCall: 'Do Not Call', campaign: 'Campaign' });
    expect(r.body.Lead.options.status).toMatchObject({ New: 'New', 'In Process': 'In Process', Dead: 'Dead' });
    expect(r.body.Lead.presetFilters).toMatchObject({ actual: 'Actual', converted: 'Converted' });
    expect(r.body.Account.links.contacts).toBe('Contacts');
    expect(r.body.Account.labels['Create Account']).toBe('Create Account');
    expect(r.body.Tag).toBeUndefined();
  });

  test('agrees with /Metadata: the same scopes, a label for every field, the options of every picklist', async () => {
    const [i18n, meta] = [(await open('/I18n')).body, (await a.get('/Metadata')).body];
    expect(Object.keys(i18n).filter((k) => k !== 'Global').sort()).toEqual(Object.keys(meta.entityDefs).sort());
    expect(Object.keys(i18n.Global.scopeNames).sort()).toEqual(Object.keys(meta.entityDefs).sort());
    for (const [scope, defs] of Object.entries<{ fields: Record<string, { options?: string[] }>; links: object }>(meta.entityDefs)) {
      expect(Object.keys(i18n[scope].fields).sort()).toEqual(Object.keys(defs.fields).sort());
      expect(Object.keys(i18n[scope].links).sort()).toEqual(Object.keys(defs.links).sort());
      for (const [field, d] of Object.entries(defs.fields)) {
        if (d.options) expect(Object.keys(i18n[scope].options[field])).toEqual(d.options.filter((o) => o !== ''));
      }
    }
  });

  test('?default=true (the system language) answers the same', async () => {
    const [plain, dflt] = [await open('/I18n'), await open('/I18n?default=true')];
    expect(dflt.status).toBe(200);
    expect(dflt.body).toEqual(plain.body);
  });

  test('run-time entities and fields appear at once, with the registry\'s own labels', async () => {
    await t.core.defineEntity({ name: 'site_visit', label: 'Site Visit', plural: 'Site Visits', fields: {
      name: { name: 'name', type: 'string' },
      urgency: { name: 'urgency', type: 'enum', picklist: 'priority' },
    } });
    await t.core.defineField('lead', { name: 'lucky_number', type: 'int', label: 'Lucky number' });
    const r = await open('/I18n');
    expect(r.body.Global.scopeNames.SiteVisit).toBe('Site Visit');
    expect(r.body.Global.scopeNamesPlural.SiteVisit).toBe('Site Visits');
    expect(r.body.SiteVisit.fields).toMatchObject({ name: 'Name', urgency: 'Urgency' });
    expect(Object.keys(r.body.SiteVisit.options.urgency)).toEqual(t.core.registry.picklist('priority')!.values);
    expect(r.body.Lead.fields.luckyNumber).toBe('Lucky number');
    expect((await open('/Settings')).body.tabList).toContain('SiteVisit');
  });
});

test.each([
  ['emailAddress', 'Email Address'], ['billingAddressPostalCode', 'Billing Address Postal Code'], ['phone2', 'Phone 2'],
  ['OpportunityLine', 'Opportunity Line'], ['name', 'Name'], ['onlyMy', 'Only My'], ['callsPrimary', 'Calls Primary'],
  ['sicCode', 'Sic Code'], ['HTMLBody', 'HTML Body'],
])('humanize(%s) = %s', (name, label) => {
  expect(humanize(name)).toBe(label);
});
