// The core commands: each in one transaction, typed errors, nothing changed on failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCore, TestCore } from '../helpers/core';
import { Core } from '../../core/core';
import { NotFoundError, ValidationError } from '../../core/errors';

let t: TestCore;
beforeAll(async () => { t = await makeCore(); });
afterAll(() => t.close());

const count = (entity: string) => t.core.count(entity, undefined, t.ctx);

describe('create', () => {
  test('one id sequence across entities; system fields filled', async () => {
    const a = await t.core.create('account', { name: 'Seq A' }, t.ctx);
    const c = await t.core.create('contact', { last_name: 'Seq' }, t.ctx);
    expect(c.id).toBeGreaterThan(a.id);
    expect(await t.core.entityOf(a.id)).toBe('account');
    expect(await t.core.entityOf(c.id)).toBe('contact');
    expect(a.created_by).toBe(1);
    expect(a.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(a.modified_by).toBeNull();
  });

  test('defaults and rules: stage, probability, currency code, person name, empty is null', async () => {
    const o = await t.core.create('opportunity', { name: 'Deal', amount: 10 }, t.ctx);
    expect(o.stage).toBe('Prospecting');
    expect(o.probability).toBe(10);
    expect(o.amount_currency).toBe('USD');
    const c = await t.core.create('contact', { first_name: ' ', last_name: 'Solo', title: '' }, t.ctx);
    expect(c.first_name).toBeNull();
    expect(c.title).toBeNull();
    expect(c.name).toBe('Solo');
  });

  const bad: [string, string, Record<string, unknown>, string, string][] = [
    ['missing required', 'account', { website: 'x' }, 'name', 'required'],
    ['wrong type', 'account', { name: 'X', employees: 'many' }, 'employees', 'type'],
    ['bad date', 'contact', { last_name: 'X', birthday: '2026-02-30' }, 'birthday', 'valid'],
    ['bad datetime', 'activity', { name: 'X', date_start: '2026-01-01T10:00:00Z' }, 'date_start', 'valid'],
    ['unknown field', 'account', { name: 'X', colour: 'red' }, 'colour', 'unknownField'],
    ['link to nothing', 'contact', { last_name: 'X', account_id: 999999 }, 'account_id', 'valid'],
    ['link of the wrong entity', 'contact', { last_name: 'X', account_id: 1 }, 'account_id', 'valid'],
    ['bad email in the list', 'contact', { last_name: 'X', emails: [{ address: 'not an email' }] }, 'email', 'email'],
    ['bad email in the slot', 'lead', { last_name: 'X', email: 'nope' }, 'email', 'email'],
  ];
  test.each(bad)('%s: ValidationError, nothing stored', async (_n, entity, data, field, rule) => {
    const before = await count(entity);
    const err = await t.core.create(entity, data, t.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    expect(await count(entity)).toBe(before);
  });
});

describe('update, delete, restore', () => {
  test('an update that changes nothing keeps modified_at', async () => {
    const a = await t.core.create('account', { name: 'Still', website: 'https://still.example' }, t.ctx);
    const same = await t.core.update('account', a.id, { name: 'Still' }, t.ctx);
    expect(same.modified_at).toBe(a.modified_at);
    expect(same.modified_by).toBeNull();
    const changed = await t.core.update('account', a.id, { website: null }, t.ctx);
    expect(changed.website).toBeNull();
    expect(changed.modified_by).toBe(1);
  });

  test('the record an update returns is the record a read returns', async () => {
    const acc = await t.core.create('account', { name: 'Same Co' }, t.ctx);
    const c = await t.core.create('contact', { first_name: 'Iris', last_name: 'Same', account_id: acc.id, email: 'iris@same.co' }, t.ctx);
    for (const patch of [{ title: 'VP' }, { first_name: 'Irene' }, { email_2: 'i2@same.co', phone_mobile: '+1 2' }, { account_id: null }, { account_id: acc.id, title: null }]) {
      const updated = await t.core.update('contact', c.id, patch, t.ctx);
      expect(updated).toEqual(await t.core.get('contact', c.id, t.ctx));
    }
    const task = await t.core.create('activity', { name: 'T', kind: 'call', date_start: '2026-01-01 10:00:00', date_end: '2026-01-01 10:30:00' }, t.ctx);
    expect(task.duration).toBe(1800);
    const moved = await t.core.update('activity', task.id, { date_end: '2026-01-01 11:00:00', parent_type: 'account', parent_id: acc.id }, t.ctx);
    expect(moved).toEqual(await t.core.get('activity', task.id, t.ctx));
    expect(moved.duration).toBe(3600);
  });

  test('stage change re-derives probability unless given', async () => {
    const o = await t.core.create('opportunity', { name: 'P' }, t.ctx);
    expect((await t.core.update('opportunity', o.id, { stage: 'Negotiation' }, t.ctx)).probability).toBe(80);
    expect((await t.core.update('opportunity', o.id, { stage: 'Proposal', probability: 33 }, t.ctx)).probability).toBe(33);
  });

  test('soft delete hides, restore brings back, missing is NotFound', async () => {
    const a = await t.core.create('account', { name: 'Gone' }, t.ctx);
    await t.core.delete('account', a.id, t.ctx);
    await expect(t.core.get('account', a.id, t.ctx)).rejects.toBeInstanceOf(NotFoundError);
    expect((await t.core.get('account', a.id, t.ctx, { withDeleted: true })).deleted_at).not.toBeNull();
    await expect(t.core.delete('account', a.id, t.ctx)).rejects.toBeInstanceOf(NotFoundError);
    expect((await t.core.restore('account', a.id, t.ctx)).deleted_at).toBeNull();
    await expect(t.core.update('account', 987654, { name: 'x' }, t.ctx)).rejects.toBeInstanceOf(NotFoundError);
  });

  test('changes since T: updated, soft- and hard-deleted', async () => {
    const since = '2000-01-01 00:00:00';
    const a = await t.core.create('case', { name: 'Printer on fire' }, t.ctx);
    const b = await t.core.create('case', { name: 'Soft' }, t.ctx);
    const c = await t.core.create('case', { name: 'Hard' }, t.ctx);
    await t.core.delete('case', b.id, t.ctx);
    await t.core.delete('case', c.id, t.ctx, { hard: true });
    const ch = await t.core.changesSince('case', since, t.ctx);
    expect(ch.updated.map((r) => r.id)).toContain(a.id);
    expect(ch.updated.map((r) => r.id)).not.toContain(b.id);
    expect(ch.deleted.map((d) => d.id).sort()).toEqual([b.id, c.id].sort());
    expect(a.number).toBeGreaterThan(0);
    expect(b.number).toBe((a.number as number) + 1);
  });
});

describe('links', () => {
  test('m2m link and unlink from either side; FK link from the parent side', async () => {
    const acc = await t.core.create('account', { name: 'Linker' }, t.ctx);
    const con = await t.core.create('contact', { last_name: 'Linked', title: 'CTO' }, t.ctx);
    const opp = await t.core.create('opportunity', { name: 'L' }, t.ctx);
    expect(await t.core.link('opportunity', opp.id, 'opportunity.contact_ids', [con.id], t.ctx, { role: 'Decision Maker' })).toBe(1);
    expect(await t.core.link('opportunity', opp.id, 'opportunity.contact_ids', [con.id], t.ctx)).toBe(0);
    const o = await t.core.get('opportunity', opp.id, t.ctx);
    expect(o.contact_ids).toEqual([con.id]);
    expect(o.$columns?.contact_ids?.[String(con.id)]).toEqual({ role: 'Decision Maker' });
    expect(await t.core.unlink('contact', con.id, 'opportunity.contact_ids', [opp.id], t.ctx)).toBe(1);
    expect((await t.core.get('opportunity', opp.id, t.ctx)).contact_ids).toEqual([]);
    // The account side of contact.account_id sets the contact's column, and the m2m row follows (role = title).
    expect(await t.core.link('account', acc.id, 'contact.account_id', [con.id], t.ctx)).toBe(1);
    const c = await t.core.get('contact', con.id, t.ctx);
    expect(c.account_id).toBe(acc.id);
    expect(c.account_ids).toEqual([acc.id]);
    expect(c.$columns?.account_ids?.[String(acc.id)]).toEqual({ role: 'CTO' });
    await t.core.unlink('account', acc.id, 'contact.account_id', [con.id], t.ctx);
    expect((await t.core.get('contact', con.id, t.ctx)).account_ids).toEqual([]);
    await expect(t.core.link('account', acc.id, 'contact.account_id', [424242], t.ctx)).rejects.toBeInstanceOf(NotFoundError);
  });

  test('tags by name, unique regardless of case', async () => {
    const a = await t.core.create('account', { name: 'Tagged' }, t.ctx);
    await t.core.tagAdd(a.id, ['VIP', 'vip', 'Partner'], t.ctx);
    const got = await t.core.get('account', a.id, t.ctx);
    expect(Object.values(got.$names?.tag_ids as Record<string, string>).sort()).toEqual(['Partner', 'VIP']);
    await t.core.tagRemove(a.id, ['PARTNER'], t.ctx);
    expect(Object.values((await t.core.get('account', a.id, t.ctx)).$names?.tag_ids as object)).toEqual(['VIP']);
  });
});

describe('mass operations are all or nothing', () => {
  test('mass update by where; one invalid value changes nothing', async () => {
    const a = await t.core.create('lead', { last_name: 'MassA', status: 'New' }, t.ctx);
    const b = await t.core.create('lead', { last_name: 'MassB', status: 'New' }, t.ctx);
    const where = { field: 'last_name', op: 'startsWith' as const, value: 'Mass' };
    const r = await t.core.massUpdate('lead', { where }, { status: 'Assigned' }, t.ctx);
    expect(r.count).toBe(2);
    await expect(t.core.massUpdate('lead', { ids: [a.id, b.id] }, { status: 'Dead', opportunity_amount: 'lots' }, t.ctx)).rejects.toBeInstanceOf(ValidationError);
    expect((await t.core.get('lead', a.id, t.ctx)).status).toBe('Assigned');
    const d = await t.core.massDelete('lead', { ids: [a.id, b.id, 777777] }, t.ctx);
    expect(d).toEqual({ count: 2, ids: [a.id, b.id] });
  });

  test('a mass update given as a function patches each record from its own values', async () => {
    const a = await t.core.create('lead', { last_name: 'PerA', description: 'one' }, t.ctx);
    const b = await t.core.create('lead', { last_name: 'PerB', description: null }, t.ctx);
    const r = await t.core.massUpdate('lead', { ids: [a.id, b.id] },
      (before) => ({ description: before.description ? `${before.description}+` : before.description }), t.ctx);
    expect(r).toEqual({ count: 1, ids: [a.id] });
    expect((await t.core.get('lead', a.id, t.ctx)).description).toBe('one+');
    expect((await t.core.get('lead', b.id, t.ctx)).description).toBeNull();
  });
});

describe('merge and convert', () => {
  test('merge moves children, links, tags, emails and phones; the loser is removed', async () => {
    const acc = await t.core.create('account', { name: 'Merge Co' }, t.ctx);
    const win = await t.core.create('contact', { last_name: 'Win', email: 'win@x.org' }, t.ctx);
    const lose = await t.core.create('contact', { last_name: 'Lose', account_id: acc.id, email: 'lose@x.org', phone: '+1 1', department: 'Ops' }, t.ctx);
    const task = await t.core.create('activity', { name: 'Call back', contact_id: lose.id, parent_type: 'contact', parent_id: lose.id }, t.ctx);
    const opp = await t.core.create('opportunity', { name: 'M', contact_ids: [lose.id] }, t.ctx);
    await t.core.tagAdd(lose.id, ['Hot'], t.ctx);
    const merged = await t.core.merge('contact', win.id, [lose.id], t.ctx);
    expect((merged.emails as { address: string }[]).map((e) => e.address)).toEqual(['win@x.org', 'lose@x.org']);
    expect(merged.phone).toBe('+1 1');
    expect(merged.department).toBe('Ops');
    expect(merged.account_id).toBe(acc.id);
    expect(Object.values(merged.$names?.tag_ids as object)).toEqual(['Hot']);
    const tk = await t.core.get('activity', task.id, t.ctx);
    expect([tk.contact_id, tk.parent_id]).toEqual([win.id, win.id]);
    expect((await t.core.get('opportunity', opp.id, t.ctx)).contact_ids).toEqual([win.id]);
    await expect(t.core.get('contact', lose.id, t.ctx)).rejects.toBeInstanceOf(NotFoundError);
  });

  test('convert lead creates linked records and marks the lead, in one transaction', async () => {
    const lead = await t.core.create('lead', { first_name: 'Lia', last_name: 'Park', account_name: 'Park Labs', email: 'lia@parklabs.io', opportunity_amount: 900, title: 'CEO' }, t.ctx);
    const r = await t.core.convertLead(lead.id, { account: {}, contact: {}, opportunity: { close_date: '2027-01-31' } }, t.ctx);
    expect(r.lead.status).toBe('Converted');
    expect(r.lead.converted_at).not.toBeNull();
    expect(r.account?.name).toBe('Park Labs');
    expect(r.contact?.account_id).toBe(r.account?.id);
    expect(r.contact?.email).toBe('lia@parklabs.io');
    expect(r.opportunity?.amount).toBe(900);
    expect(r.opportunity?.contact_ids).toEqual([r.contact?.id]);
    expect([r.lead.created_account_id, r.lead.created_contact_id, r.lead.created_opportunity_id]).toEqual([r.account?.id, r.contact?.id, r.opportunity?.id]);
    expect(r.contact?.original_lead_id).toBe(lead.id);
    // A failing part rolls back the parts before it.
    const lead2 = await t.core.create('lead', { last_name: 'Rollback', account_name: 'RB Inc' }, t.ctx);
    const accounts = await count('account');
    await expect(t.core.convertLead(lead2.id, { account: {}, opportunity: { amount: 'x' } }, t.ctx)).rejects.toBeInstanceOf(ValidationError);
    expect(await count('account')).toBe(accounts);
    expect((await t.core.get('lead', lead2.id, t.ctx)).status).toBe('New');
  });
});

describe('lead conversion and the records around the lead', () => {
  test('calls and meetings get the contact and move to the opportunity; emails follow; documents are related too', async () => {
    const lead = await t.core.create('lead', { last_name: 'Moves', account_name: 'Moves Ltd' }, t.ctx);
    const around = { parent_type: 'lead', parent_id: lead.id };
    const call = await t.core.create('activity', { kind: 'call', name: 'Intro', date_start: '2026-05-04 09:00:00', date_end: '2026-05-04 09:30:00', ...around }, t.ctx);
    const meeting = await t.core.create('activity', { kind: 'meeting', name: 'Demo', date_start: '2026-05-05 09:00:00', date_end: '2026-05-05 10:00:00', ...around }, t.ctx);
    const task = await t.core.create('activity', { kind: 'task', name: 'Follow up', ...around }, t.ctx);
    const email = await t.core.create('email', { subject: 'Hello', ...around }, t.ctx);
    const doc = await t.core.create('document', { name: 'NDA', lead_ids: [lead.id] }, t.ctx);
    const r = await t.core.convertLead(lead.id, { account: {}, contact: {}, opportunity: { close_date: '2027-01-31', amount: 10 } }, t.ctx);
    const opp = r.opportunity!.id;
    for (const a of [call, meeting]) {
      const moved = await t.core.get('activity', a.id, t.ctx);
      expect([moved.parent_type, moved.parent_id, moved.attendee_contact_ids]).toEqual(['opportunity', opp, [r.contact!.id]]);
    }
    expect((await t.core.get('activity', task.id, t.ctx))).toMatchObject({ parent_type: 'lead', parent_id: lead.id });
    expect((await t.core.get('email', email.id, t.ctx))).toMatchObject({ parent_type: 'opportunity', parent_id: opp });
    expect((await t.core.get('document', doc.id, t.ctx))).toMatchObject({ account_ids: [r.account!.id], opportunity_ids: [opp], lead_ids: [lead.id] });
  });

  test('without an opportunity they move to the account; without either they stay with the lead', async () => {
    const lead = await t.core.create('lead', { last_name: 'Acc', account_name: 'Acc Ltd' }, t.ctx);
    const call = await t.core.create('activity', { kind: 'call', name: 'Ring', date_start: '2026-05-04 09:00:00', date_end: '2026-05-04 09:30:00', parent_type: 'lead', parent_id: lead.id }, t.ctx);
    const r = await t.core.convertLead(lead.id, { account: {} }, t.ctx);
    expect(await t.core.get('activity', call.id, t.ctx)).toMatchObject({ parent_type: 'account', parent_id: r.account!.id, attendee_contact_ids: [] });
    const lead2 = await t.core.create('lead', { last_name: 'Solo' }, t.ctx);
    const call2 = await t.core.create('activity', { kind: 'call', name: 'Ring 2', date_start: '2026-05-04 09:00:00', date_end: '2026-05-04 09:30:00', parent_type: 'lead', parent_id: lead2.id }, t.ctx);
    const r2 = await t.core.convertLead(lead2.id, { contact: {} }, t.ctx);
    expect(await t.core.get('activity', call2.id, t.ctx)).toMatchObject({ parent_type: 'lead', parent_id: lead2.id, attendee_contact_ids: [r2.contact!.id] });
  });
});

describe('users and run-time schema', () => {
  test('API keys authenticate their user only', async () => {
    const { user, key } = await t.core.createUser('sam', { key: 'sam-key-123' });
    expect((await t.core.authenticate(key))?.id).toBe(user.id);
    expect(await t.core.authenticate('nope')).toBeNull();
    expect((await t.core.authenticateBasic('SAM', key))?.user_name).toBe('sam');
    expect(await t.core.authenticateBasic('admin', key)).toBeNull();
    // A deactivated user's key stops working at once in this process (the key cache starts again).
    await t.core.update('user', user.id, { is_active: false }, t.ctx);
    expect(await t.core.authenticate(key)).toBeNull();
    await t.core.update('user', user.id, { is_active: true }, t.ctx);
    expect((await t.core.authenticate(key))?.id).toBe(user.id);
  });

  test('a run-time entity and field persist across a restart', async () => {
    if (process.env.TEST_DATABASE_URL) return; // a file store is SQLite's; PostgreSQL persistence is the same code
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crm-')), 'crm.sqlite');
    const one = await Core.open({ db: file });
    await one.defineEntity({ name: 'support_ticket', label: 'Support Ticket', plural: 'Support Tickets', fields: { subject: { name: 'subject', type: 'string', required: true } } });
    await one.defineField('account', { name: 'loyalty_tier', type: 'string' });
    const admin = { user: await one.admin() };
    const rec = await one.create('support_ticket', { subject: 'Help' }, admin);
    await one.create('account', { name: 'Loyal', loyalty_tier: 'gold' }, admin);
    const key = one.adminKey;
    await one.close();
    const two = await Core.open({ db: file });
    expect(two.adminKey).toBe(key);
    expect((await two.get('support_ticket', rec.id, admin)).subject).toBe('Help');
    const r = await two.find('account', { where: { field: 'loyalty_tier', op: 'eq', value: 'gold' } }, admin);
    expect(r.records.map((x) => x.name)).toEqual(['Loyal']);
    await two.close();
  });
});
