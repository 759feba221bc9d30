// One record store, two API shapes: what one dialect writes, the other reads, filters and relates the same way.
import request from 'supertest';
import { makeApp, TestApp, ADMIN_KEY } from '../helpers/app';

let t: TestApp;
const espo = { 'X-Api-Key': ADMIN_KEY };
const ra = { Authorization: `Bearer ${ADMIN_KEY}` };
const hex = (id: number) => id.toString(16).padStart(17, '0');

beforeAll(async () => { t = await makeApp(); });
afterAll(() => t.close());

test('a contact written through EspoCRM reads back through react-admin, and an edit there shows in EspoCRM', async () => {
  const acc = await request(t.app).post('/api/v1/Account').set(espo).send({ name: 'Contract Co', website: 'https://contract.example' });
  expect(acc.status).toBe(200);
  const c = await request(t.app).post('/api/v1/Contact').set(espo).send({
    firstName: 'Grace', lastName: 'Hopper', title: 'Rear Admiral', accountId: acc.body.id,
    emailAddressData: [{ emailAddress: 'grace@navy.example', primary: true }, { emailAddress: 'gh@home.example' }],
  });
  expect(c.status).toBe(200);
  const id = parseInt(c.body.id, 16);
  const r = await request(t.app).get(`/api/contacts/${id}`).set(ra);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ id, first_name: 'Grace', last_name: 'Hopper', title: 'Rear Admiral', company_id: parseInt(acc.body.id, 16), email: 'grace@navy.example' });
  expect(r.body.email_jsonb.map((e: { email: string }) => e.email)).toEqual(['grace@navy.example', 'gh@home.example']);
  const company = await request(t.app).get(`/api/companies/${parseInt(acc.body.id, 16)}`).set(ra);
  expect(company.body).toMatchObject({ name: 'Contract Co', domain: 'https://contract.example' });

  const put = await request(t.app).put(`/api/contacts/${id}`).set(ra).send({ title: 'Commodore', lastName: 'Hopper' });
  expect(put.status).toBe(200);
  const back = await request(t.app).get(`/api/v1/Contact/${hex(id)}`).set(espo);
  expect(back.body).toMatchObject({ title: 'Commodore', lastName: 'Hopper', emailAddress: 'grace@navy.example', accountName: 'Contract Co' });
  expect(back.body.modifiedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
});

test('the same filter through both dialects finds the same records', async () => {
  for (const [first, last] of [['Ann', 'Filterson'], ['Bob', 'Filterson'], ['Cy', 'Other']]) {
    await request(t.app).post('/api/contacts').set(ra).send({ first_name: first, last_name: last });
  }
  const e = await request(t.app).get('/api/v1/Contact?orderBy=firstName&order=asc&where[0][type]=equals&where[0][attribute]=lastName&where[0][value]=Filterson').set(espo);
  const r = await request(t.app).get('/api/contacts').query({ filter: JSON.stringify({ last_name: 'Filterson' }), sort: JSON.stringify(['first_name', 'ASC']) }).set(ra);
  expect(e.body.total).toBe(2);
  expect(r.headers['content-range']).toMatch(/\/2$/);
  expect(e.body.list.map((x: { id: string }) => parseInt(x.id, 16))).toEqual(r.body.map((x: { id: number }) => x.id));
});

test('a deal linked in react-admin is related in EspoCRM; a delete in EspoCRM hides it in react-admin', async () => {
  const company = await request(t.app).post('/api/companies').set(ra).send({ name: 'Deal Holder' });
  expect(company.status).toBe(201);
  const deal = await request(t.app).post('/api/deals').set(ra).send({ name: 'Big One', company_id: company.body.id, status: 'proposal-sent', amount: 1200 });
  expect(deal.status).toBe(201);
  const related = await request(t.app).get(`/api/v1/Account/${hex(company.body.id)}/opportunities`).set(espo);
  expect(related.body.total).toBe(1);
  expect(related.body.list[0]).toMatchObject({ name: 'Big One', stage: 'Proposal', amount: 1200, probability: 50 });
  const del = await request(t.app).delete(`/api/v1/Opportunity/${hex(deal.body.id)}`).set(espo);
  expect(del.status).toBe(200);
  expect((await request(t.app).get(`/api/deals/${deal.body.id}`).set(ra)).status).toBe(404);
  const archived = await request(t.app).get('/api/deals').query({ filter: JSON.stringify({ include_archived: true, id: [deal.body.id] }) }).set(ra);
  expect(archived.body.map((d: { id: number }) => d.id)).toEqual([deal.body.id]);
  // Restored through react-admin, EspoCRM sees it again.
  expect((await request(t.app).post(`/api/deals/${deal.body.id}/restore`).set(ra)).status).toBe(200);
  expect((await request(t.app).get(`/api/v1/Opportunity/${hex(deal.body.id)}`).set(espo)).status).toBe(200);
});
