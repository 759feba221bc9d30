// Writes (react-admin.md §3.4-§3.6, §5): create 201, PUT partial update, DELETE answering the record, restore,
// archive, the odd fields (task type / done_date, note parents, Atomic lists), custom objects, read-only resources.
import { makeApp, type TestApp } from '../../helpers/app';
import { api, type Api, count, ids, ISO, seed } from './ra';

let t: TestApp;
let a: Api;
let s: Record<string, number>;

beforeAll(async () => {
  t = await makeApp();
  a = api(t);
  s = await seed(t);
});
afterAll(() => t.close());

describe('create', () => {
  test('201 with the record; snake and camel keys; unknown and read-only keys ignored', async () => {
    const r = await a.post('/contacts', {
      first_name: 'Grace', lastName: 'Hopper', email: 'grace@navy.test', companyId: s.acme,
      id: 999, created_at: 'x', crm_user_id: 77, nonsense: 1, company_name: 'ignored',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', email: 'grace@navy.test', company_id: s.acme, crm_user_id: 1 });
    expect(r.body.id).not.toBe(999);
    expect(r.body.created_at).toMatch(ISO);
    const rec = await t.core.get('contact', r.body.id, t.ctx);
    expect(rec).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', account_id: s.acme });
  });

  test('companies: category array joined, slug matched loosely; domain = website', async () => {
    const r = await a.post('/companies', { name: 'Init', domain: 'init.test', category: ['real-estate'], size: 50, revenue: '12.5' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ domain: 'init.test', website: 'init.test', category: 'Real Estate', size: 50, revenue: 12.5 });
  });

  test('deals: required name, company_id, status; Atomic stage slug', async () => {
    const bad = await a.post('/deals', { amount: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: { name: 'Required', company_id: 'Required', status: 'Required' } });
    expect(bad.body.error).toBe('Invalid name: Required');
    expect(bad.body.message).toBe(bad.body.error);
    const r = await a.post('/deals', { name: 'New', company_id: s.globex, status: 'in-negociation', amount: '300', contact_ids: [s.bo] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'Negotiation', amount: 300, contact_ids: [s.bo], company_name: 'Globex' });
  });

  test('typed fields are validated, nothing is stored', async () => {
    const before = await count(t, 'contact');
    for (const body of [
      { first_name: 'X', company_id: 'acme' },
      { first_name: 'X', has_newsletter: 'maybe' },
      { first_name: 'X', last_seen: 'yesterday' },
      { first_name: 'X', email: 'not-an-email' },
      { first_name: 'X', tags: 'vip' },
      { first_name: 'X', company_id: 987654 },
      { first_name: { a: 1 } },
    ]) {
      const r = await a.post('/contacts', body);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.error).toMatch(/^Invalid \w+: /);
    }
    expect(await count(t, 'contact')).toBe(before);
  });

  test('no writable fields: 400', async () => {
    const r = await a.post('/contacts', { nonsense: 1, id: 3 });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'No writable fields to create', code: 'VALIDATION_FAILED' });
  });

  test('tasks: type sets kind or sub-type; done_date completes; deal_id is the parent', async () => {
    const r = await a.post('/tasks', { text: 'Ring', type: 'call', contact_id: s.ada, due_date: '2026-06-01T10:00:00+02:00', deal_id: s.renewal });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ text: 'Ring', type: 'call', due_date: '2026-06-01T08:00:00.000Z', deal_id: s.renewal, done_date: null });
    expect(await t.core.get('activity', r.body.id, t.ctx)).toMatchObject({ kind: 'call', type: null, parent_type: 'opportunity', parent_id: s.renewal });
    const done = await a.put(`/tasks/${r.body.id}`, { done_date: '2026-06-01T12:00:00Z' });
    expect(done.body.done_date).toBe('2026-06-01T12:00:00.000Z');
    expect(await t.core.get('activity', r.body.id, t.ctx)).toMatchObject({ status: 'Held', date_completed: '2026-06-01 12:00:00' });
    const redated = await a.put(`/tasks/${r.body.id}`, { done_date: '2026-06-02T09:30:00Z' });
    expect(redated.body.done_date).toBe('2026-06-02T09:30:00.000Z');
    const reopened = await a.put(`/tasks/${r.body.id}`, { done_date: null, type: 'demo' });
    expect(reopened.body).toMatchObject({ done_date: null, type: 'demo' });
    expect(await t.core.get('activity', r.body.id, t.ctx)).toMatchObject({ kind: 'task', type: 'Demo', status: 'Not Started' });
  });

  test('notes: the parent id is required and typed by the resource', async () => {
    expect((await a.post('/contact_notes', { text: 'x' })).body).toMatchObject({ errors: { contact_id: 'Required' } });
    const r = await a.post('/company_notes', { company_id: s.acme, text: 'Hello', attachments: [{ src: 'http://x/a.png', title: 'a' }] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ company_id: s.acme, text: 'Hello', attachments: [{ url: 'http://x/a.png', name: 'a', type: null }] });
    expect(await t.core.get('note', r.body.id, t.ctx)).toMatchObject({ parent_type: 'account', parent_id: s.acme, body: 'Hello' });
    expect((await a.post('/deal_notes', { deal_id: s.ada, text: 'wrong parent type' })).status).toBe(400);
  });

  test('tags: name and color required', async () => {
    expect((await a.post('/tags', { name: 'x' })).body).toMatchObject({ errors: { color: 'Required' } });
    expect((await a.post('/tags', { name: 'hot', color: '#00ff00' })).status).toBe(201);
  });

  test('automation_rules: its own entity, JSON workflow', async () => {
    const r = await a.post('/automation_rules', { name: 'Welcome', enabled: true, workflowDefinition: { steps: [1, 2] } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Welcome', enabled: true, workflow_definition: { steps: [1, 2] }, last_run_at: null });
    expect(ids(await a.get('/automation_rules'))).toEqual([r.body.id]);
  });

  test('read-only resources: 400', async () => {
    for (const res of ['companies_summary', 'contacts_summary', 'crm_users']) {
      const r = await a.post(`/${res}`, { name: 'x' });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: 'Cannot create on this resource', code: 'INVALID_RESOURCE' });
      expect((await a.put(`/${res}/1`, { name: 'x' })).status).toBe(400);
      expect((await a.del(`/${res}/1`)).status).toBe(400);
    }
  });
});

describe('update (PUT is a partial update)', () => {
  test('answers the full record; id in the body ignored', async () => {
    const r = await a.put(`/contacts/${s.cy}`, { id: 12345, title: 'CTO' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: s.cy, first_name: 'Cy', last_name: 'Lovelace', title: 'CTO', email: 'cy@acme.test' });
  });

  test('react-admin Edit: the whole record back, unchanged keys are no-ops (R1), joined columns ignored', async () => {
    const current = (await a.get(`/deals/${s.renewal}`)).body;
    const r = await a.put(`/deals/${s.renewal}`, { ...current, amount: 1500 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ amount: 1500, status: 'Proposal', company_name: 'Acme' });
    const same = await a.put(`/deals/${s.renewal}`, r.body);
    expect(same.status).toBe(200);
    expect(same.body.updated_at).toBe(r.body.updated_at);
  });

  test('email_jsonb keeps stored types on write-back; a new entry appends', async () => {
    await t.core.update('contact', s.bo, { phones: [{ number: '+1 555', type: 'mobile' }] }, t.ctx);
    const cur = (await a.get(`/contacts/${s.bo}`)).body;
    expect(cur.phone_jsonb).toEqual([{ number: '+1 555', type: 'Other' }]);
    const r = await a.put(`/contacts/${s.bo}`, { phone_jsonb: [...cur.phone_jsonb, { number: '+1 777', type: 'Work' }], email_jsonb: [{ email: 'bo@home.test', type: 'Home' }, ...cur.email_jsonb] });
    expect(r.status).toBe(200);
    const rec = await t.core.get('contact', s.bo, t.ctx);
    expect(rec.phones).toEqual([expect.objectContaining({ number: '+1 555', type: 'mobile' }), expect.objectContaining({ number: '+1 777', type: 'office' })]);
    expect(rec.emails).toEqual([expect.objectContaining({ address: 'bo@home.test', type: 'home' }), expect.objectContaining({ address: 'bo@globex.test' })]);
    expect(r.body.email).toBe('bo@home.test');
  });

  test('a required field cannot be emptied', async () => {
    const r = await a.put(`/deals/${s.pilot}`, { status: '' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'Invalid status: String must contain at least 1 character(s)', code: 'VALIDATION_FAILED',
      message: 'Invalid status: String must contain at least 1 character(s)', errors: { status: 'String must contain at least 1 character(s)' },
    });
  });

  test('aliases: the first-listed name wins', async () => {
    const r = await a.put(`/companies/${s.globex}`, { domain: 'a.test', website: 'b.test' });
    expect(r.body).toMatchObject({ domain: 'a.test', website: 'a.test' });
    const r2 = await a.put(`/companies/${s.globex}`, { domain: 'a.test', website: 'c.test' });
    expect(r2.body.domain).toBe('c.test');
  });

  test('unknown id 404, non-numeric id 400, bad body first', async () => {
    expect((await a.put('/contacts/999999', { title: 'x' })).body).toEqual({ error: 'Not found', code: 'NOT_FOUND', message: 'Not found' });
    expect((await a.put('/contacts/abc', { title: 'x' })).body).toMatchObject({ error: 'Invalid request', code: 'INVALID_REQUEST' });
    expect((await a.put('/contacts/999999', { company_id: 'x' })).status).toBe(400);
  });
});

describe('delete, archive, restore', () => {
  test('DELETE answers the record as it was; then 404 and gone from the list; restore brings it back', async () => {
    const id = (await t.core.create('contact', { first_name: 'Temp', last_name: 'One' }, t.ctx)).id;
    const r = await a.del(`/contacts/${id}`, { 'Content-Type': 'text/plain' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, first_name: 'Temp' });
    expect((await a.get(`/contacts/${id}`)).status).toBe(404);
    expect(ids(await a.get('/contacts', { filter: { id: [id] } }))).toEqual([]);
    expect((await a.del(`/contacts/${id}`)).status).toBe(404);
    const back = await a.post(`/contacts/${id}/restore`);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id, first_name: 'Temp' });
    expect((await a.post(`/contacts/${id}/restore`)).status).toBe(200); // idempotent on a live record
    expect((await a.post('/contacts/999999/restore')).status).toBe(404);
  });

  test('deals: archived_at by update archives and restores (Atomic)', async () => {
    const id = (await t.core.create('opportunity', { name: 'Arch', account_id: s.acme, stage: 'Delayed' }, t.ctx)).id;
    const r = await a.put(`/deals/${id}`, { archived_at: '2026-05-01T00:00:00.000Z' });
    expect(r.status).toBe(200);
    expect(r.body.archived_at).toMatch(ISO);
    expect((await a.get(`/deals/${id}`)).status).toBe(404);
    const back = await a.put(`/deals/${id}`, { archived_at: null, name: 'Arch 2' });
    expect(back.body).toMatchObject({ archived_at: null, name: 'Arch 2' });
    const del = await a.del(`/deals/${id}`);
    expect(del.body).toMatchObject({ id, archived_at: null });
    const restored = await a.post(`/deals/${id}/restore`);
    expect(restored.body).toMatchObject({ id, archived_at: null });
  });

  test('deals: un-archiving with a change the core refuses leaves the deal archived (one transaction)', async () => {
    const id = (await t.core.create('opportunity', { name: 'Stay', account_id: s.acme, stage: 'Delayed' }, t.ctx)).id;
    expect((await a.put(`/deals/${id}`, { archived_at: '2026-05-01T00:00:00.000Z' })).status).toBe(200);
    const r = await a.put(`/deals/${id}`, { archived_at: null, company_id: 987654321 });
    expect(r.status).toBe(400);
    expect((await a.get(`/deals/${id}`)).status).toBe(404);
    expect((await t.core.get('opportunity', id, t.ctx, { withDeleted: true })).deleted_at).not.toBeNull();
  });

  test('restore works on every resource (C17)', async () => {
    const id = (await t.core.create('note', { body: 'n', parent_id: s.acme, parent_type: 'account' }, t.ctx)).id;
    await a.del(`/company_notes/${id}`);
    expect((await a.post(`/company_notes/${id}/restore`)).body).toMatchObject({ id, company_id: s.acme });
  });
});

describe('merge_contacts', () => {
  test('the winner takes notes, tasks, deals, tags, emails and phones; the loser is gone', async () => {
    const w = (await t.core.create('contact', { first_name: 'Win', last_name: 'Ner', email: 'w@x.test' }, t.ctx)).id;
    const l = (await t.core.create('contact', { first_name: 'Lo', last_name: 'Ser', title: 'VP', email: 'l@x.test', phone: '+1 999', tag_ids: [s.vip] }, t.ctx)).id;
    const task = (await t.core.create('activity', { name: 'T', contact_id: l }, t.ctx)).id;
    const note = (await t.core.create('note', { body: 'N', parent_id: l, parent_type: 'contact' }, t.ctx)).id;
    const deal = (await t.core.create('opportunity', { name: 'D', account_id: s.acme, contact_ids: [l] }, t.ctx)).id;
    const r = await a.post('/merge_contacts', { loserId: l, winnerId: w });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: w });
    expect((await a.get(`/contacts/${l}`)).status).toBe(404);
    const winner = (await a.get(`/contacts/${w}`)).body;
    expect(winner).toMatchObject({ title: 'VP', tags: [s.vip], email: 'w@x.test' });
    expect(winner.email_jsonb.map((e: { email: string }) => e.email)).toEqual(['w@x.test', 'l@x.test']);
    expect(winner.phone_jsonb).toEqual([{ number: '+1 999', type: 'Work' }]);
    expect((await a.get(`/tasks/${task}`)).body.contact_id).toBe(w);
    expect((await a.get(`/contact_notes/${note}`)).body.contact_id).toBe(w);
    expect((await a.get(`/deals/${deal}`)).body.contact_ids).toEqual([w]);
  });

  test('bad input', async () => {
    expect((await a.post('/merge_contacts', { loserId: 'x', winnerId: s.ada })).body).toMatchObject({ error: 'loserId and winnerId required' });
    expect((await a.post('/merge_contacts', {})).status).toBe(400);
    expect((await a.post('/merge_contacts', { loserId: s.ada, winnerId: s.ada })).status).toBe(400);
    const missing = await a.post('/merge_contacts', { loserId: 999999, winnerId: s.ada });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'Contact not found' });
    expect((await a.post('/merge_contacts', { loserId: s.acme, winnerId: s.ada })).status).toBe(404); // a company is no contact
  });
});

describe('custom objects', () => {
  test('defined through object_config, then the same CRUD at /api/<slug>', async () => {
    expect((await a.get('/projects')).status).toBe(404);
    const def = await a.post('/object_config', { slug: 'projects', singular_name: 'Project', fields: [{ name: 'budget', type: 'currency' }, { name: 'company_id', type: 'link', reference: 'companies' }, { name: 'due', type: 'date' }] });
    expect(def.status).toBe(201);
    expect(def.body).toMatchObject({ id: 'projects', slug: 'projects', singular_name: 'Project' });
    const c = await a.post('/projects', { name: 'Apollo', budget: '1000', companyId: s.acme, due: '2026-09-01', extra: 'ignored' });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ name: 'Apollo', budget: 1000, company_id: s.acme, due: '2026-09-01' });
    const list = await a.get('/projects', { filters: [{ field: 'budget', op: 'gte', value: '500' }], sort: ['name', 'ASC'] });
    expect(ids(list)).toEqual([c.body.id]);
    expect(list.headers['content-range']).toBe('projects 0-0/1');
    expect((await a.put(`/projects/${c.body.id}`, { budget: 'lots' })).status).toBe(400);
    expect((await a.del(`/projects/${c.body.id}`)).body).toMatchObject({ name: 'Apollo' });
    expect(ids(await a.get('/object_config'))).toEqual(['projects'] as unknown as number[]);
  });

  test('slug conflicts and bad declarations', async () => {
    expect((await a.post('/object_config', { slug: 'contacts' })).status).toBe(409);
    expect((await a.post('/object_config', { slug: 'leads' })).status).toBe(409);
    expect((await a.post('/object_config', { slug: 'Bad Slug' })).status).toBe(400);
    expect((await a.post('/object_config', { slug: 'things', fields: [{ name: 'x', type: 'blob' }] })).status).toBe(400);
  });

  test('a field added to a built-in resource shows top-level and in custom_fields', async () => {
    const r = await a.post('/object_config/contacts/fields', { name: 'shoe_size', type: 'int' });
    expect(r.status).toBe(201);
    const u = await a.put(`/contacts/${s.di}`, { custom_fields: { shoe_size: 44 } });
    expect(u.body).toMatchObject({ shoe_size: 44, custom_fields: { shoe_size: 44 } });
    expect(ids(await a.get('/contacts', { filter: { shoe_size: 44 } }))).toEqual([s.di]);
  });
});

describe('configuration', () => {
  test('PUT replaces the stored config; stored keys win over the defaults', async () => {
    const r = await a.put('/configuration/1', { config: { title: 'My CRM', dealStages: [{ value: 'x', label: 'X' }] } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 1, config: { title: 'My CRM', dealStages: [{ value: 'x', label: 'X' }], currency: 'USD' } });
    expect((await a.get('/configuration/1')).body.config.title).toBe('My CRM');
    expect((await a.put('/configuration/1', { config: 'x' })).status).toBe(400);
    expect((await a.del('/configuration/1')).status).toBe(400);
  });
});
