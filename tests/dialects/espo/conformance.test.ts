// Claims of espocrm.md that had no end-to-end test before the conformance audit: transport headers, the CGI auth
// header, list counting, legacy where items, link ids in where, SQL null semantics, person names, Opportunity
// probability, the duplicate rules on update and on empty first names.
import request from 'supertest';
import { makeApp, TestApp, ADMIN_KEY } from '../../helpers/app';
import { ADMIN_ID, Api, api, reason } from './espo';

let t: TestApp;
let a: Api;
let acme: string;
beforeAll(async () => {
  t = await makeApp(); a = api(t);
  acme = (await a.post('/Account', { name: 'Acme Conformance', type: 'Customer', emailAddress: 'acme@conf.test' })).body.id;
  await a.post('/Account', { name: 'Untyped Conformance' });
});
afterAll(() => t.close());

const b64 = (s: string) => Buffer.from(s).toString('base64');
const names = (body: { list: { name: string }[] }) => body.list.map((r) => r.name).sort();
const deal = { name: 'Deal', amount: 5, amountCurrency: 'USD', closeDate: '2026-12-31' };

describe('transport and authentication (§1, §2)', () => {
  test('the controller name is upper-cased: /account is Account', async () => {
    const r = await a.get('/account?where[0][type]=equals&where[0][attribute]=name&where[0][value]=Acme+Conformance');
    expect([r.status, r.body.total]).toEqual([200, 1]);
  });

  test('a controller answer carries Last-Modified and X-App-Timestamp', async () => {
    const r = await a.get(`/Account/${acme}`);
    expect(new Date(r.headers['last-modified'] as string).getTime()).not.toBeNaN();
    expect(r.headers['x-app-timestamp']).toMatch(/^\d+$/);
  });

  test('Http-Espo-Cgi-Auth: Basic <b64> logs in like Authorization: Basic', async () => {
    const ok = await request(t.app).get('/api/v1/Account').set('Http-Espo-Cgi-Auth', `Basic ${b64(`admin:${ADMIN_KEY}`)}`);
    expect(ok.status).toBe(200);
    const bad = await request(t.app).get('/api/v1/Account').set('Http-Espo-Cgi-Auth', `Basic ${b64('admin:wrong')}`);
    expect([bad.status, bad.text]).toEqual([401, '']);
  });

  test('Espo-Authorization-By-Token: the token of GET /App/user logs in; a wrong one is 401', async () => {
    const user = await request(t.app).get('/api/v1/App/user').set('Espo-Authorization', b64(`admin:${ADMIN_KEY}`));
    const byToken = (token: string) => request(t.app).get('/api/v1/Account')
      .set('Espo-Authorization', b64(`admin:${token}`)).set('Espo-Authorization-By-Token', 'true');
    expect((await byToken(user.body.token as string)).status).toBe(200);
    expect((await byToken('not-a-token')).status).toBe(401);
  });

  test('X-Status-Reason: characters outside printable ASCII / Latin-1 become spaces', async () => {
    const r = await a.get(`/Account?where[0][type]=equals&where[0][attribute]=${encodeURIComponent('prix€ä')}&where[0][value]=1`);
    expect([r.status, reason(r)]).toEqual([400, "Not existing attribute 'prix ä' in where."]);
  });
});

describe('lists (§4)', () => {
  test('q is a text filter without a count: total -2 when no more rows, -1 when more', async () => {
    const one = await a.get('/Account?q=Acme+Conf');
    expect(one.body).toMatchObject({ total: -2, list: [{ name: 'Acme Conformance' }] });
    const more = await a.get('/Account?q=*Conformance&maxSize=1');
    expect(more.body.total).toBe(-1);
    expect(more.body.list).toHaveLength(1);
  });

  test('Email has countDisabled: its list never counts', async () => {
    await a.post('/Email', { name: 'Hello', to: 'x@conf.test' });
    const r = await a.get('/Email');
    expect(r.body.total).toBe(-2);
    expect(r.body.list).toHaveLength(1);
  });

  test('legacy where items primary and textFilter become the filters', async () => {
    const r = await a.get('/Account?where[0][type]=primary&where[0][value]=customers&where[1][type]=textFilter&where[1][value]=Acme');
    expect(r.status).toBe(200);
    expect(names(r.body)).toEqual(['Acme Conformance']);
  });

  test('`field` is an alias of `attribute` in a where item', async () => {
    const r = await a.get('/Account?where[0][type]=equals&where[0][field]=name&where[0][value]=Acme+Conformance');
    expect([r.status, r.body.total]).toEqual([200, 1]);
  });
});

describe('link ids in where must name records (§5.3, Where\\Checker::checkLink)', () => {
  const q = (type: string, attribute: string, ids: string[]) =>
    `where[0][type]=${type}&where[0][attribute]=${attribute}${ids.map((id, i) => `&where[0][value][${i}]=${id}`).join('')}`;

  test.each([
    ['linkedWith', 'Contact', 'account', 'Account'],
    ['notLinkedWith', 'Contact', 'accounts', 'Account'],
    ['linkedWithAll', 'Account', 'teams', 'Team'],
  ])('%s on %s.%s with a missing id -> 400 Record \'%s\' `id` not found.', async (type, entity, link, foreign) => {
    const first = link === 'teams' ? [] : [acme]; // an existing id first: the missing one is named
    const r = await a.get(`/${entity}?${q(type, link, [...first, '0000000000000ffff'])}`);
    expect([r.status, reason(r), r.text]).toEqual([400, `Record '${foreign}' \`0000000000000ffff\` not found.`, '']);
  });

  test('an id that is no Espo id is not found either; existing ids are fine', async () => {
    const r = await a.get(`/Contact?${q('linkedWith', 'accounts', ['no-such-id'])}`);
    expect([r.status, reason(r)]).toEqual([400, "Record 'Account' `no-such-id` not found."]);
    const c = await a.post('/Contact', { lastName: 'Linked', accountId: acme });
    const ok = await a.get(`/Contact?${q('linkedWith', 'accounts', [acme])}`);
    expect(ok.body.list.map((x: { id: string }) => x.id)).toEqual([c.body.id]);
  });

  test('a non-string id (searchParams JSON) -> 400 Bad where item. Non-string ID.', async () => {
    const sp = encodeURIComponent(JSON.stringify({ where: [{ type: 'linkedWith', attribute: 'account', value: [5] }] }));
    const r = await a.get(`/Contact?searchParams=${sp}`);
    expect([r.status, reason(r)]).toEqual([400, 'Bad where item. Non-string ID.']);
  });

  test('an activity link checks the kind: a meeting id is no Call', async () => {
    const m = await a.post('/Meeting', { name: 'M', dateStart: '2026-05-04 09:00:00', dateEnd: '2026-05-04 10:00:00', assignedUserId: ADMIN_ID });
    const r = await a.get(`/Contact?${q('linkedWith', 'calls', [m.body.id])}`);
    expect([r.status, reason(r)]).toEqual([400, `Record 'Call' \`${m.body.id}\` not found.`]);
    expect((await a.get(`/Contact?${q('linkedWith', 'meetings', [m.body.id])}`)).status).toBe(200);
  });

  test('the same check on a related list', async () => {
    const r = await a.get(`/Account/${acme}/contacts?${q('linkedWith', 'accounts', ['0000000000000fffe'])}`);
    expect([r.status, reason(r)]).toEqual([400, "Record 'Account' `0000000000000fffe` not found."]);
  });
});

describe('where semantics (§5.3)', () => {
  test('notEquals is false for a NULL attribute (SQL three-valued logic)', async () => {
    const r = await a.get('/Account?where[0][type]=notEquals&where[0][attribute]=type&where[0][value]=Partner&where[1][type]=endsWith&where[1][attribute]=name&where[1][value]=Conformance');
    expect(names(r.body)).toEqual(['Acme Conformance']);
  });

  test('personName: equals matches "last first"; in on name matches nothing', async () => {
    await a.post('/Contact', { firstName: 'Ann', lastName: 'Quill' });
    const eq = await a.get('/Contact?where[0][type]=equals&where[0][attribute]=name&where[0][value]=Quill+Ann');
    expect(names(eq.body)).toEqual(['Ann Quill']);
    const inList = await a.get('/Contact?where[0][type]=in&where[0][attribute]=name&where[0][value][0]=Ann+Quill');
    expect([inList.status, inList.body.total]).toEqual([200, 0]);
  });
});

describe('records (§6, §7, §10)', () => {
  test('Opportunity: probability from the stage map on create; a stage change re-sets it unless sent', async () => {
    const o = await a.post('/Opportunity', deal);
    expect(o.body).toMatchObject({ stage: 'Prospecting', probability: 10 });
    expect((await a.post('/Opportunity', { ...deal, stage: 'Closed Lost' })).body.probability).toBe(0);
    expect((await a.put(`/Opportunity/${o.body.id}`, { stage: 'Proposal' })).body.probability).toBe(50);
    expect((await a.put(`/Opportunity/${o.body.id}`, { stage: 'Negotiation', probability: 65 })).body.probability).toBe(65);
  });

  test('an update runs no duplicate check', async () => {
    const other = await a.post('/Account', { name: 'Renamed Later' });
    const r = await a.put(`/Account/${other.body.id}`, { name: 'Acme Conformance' });
    expect([r.status, r.body.name]).toEqual([200, 'Acme Conformance']);
  });

  test('Contact duplicates: a NULL first name matches a NULL first name', async () => {
    await a.post('/Contact', { lastName: 'Solo' });
    const r = await a.post('/Contact', { lastName: 'Solo' });
    expect([r.status, reason(r)]).toEqual([409, 'duplicate']);
    expect((await a.post('/Contact', { firstName: 'Han', lastName: 'Solo' })).status).toBe(200);
  });
});
