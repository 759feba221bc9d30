// Record versions (optimistic locking), relation columns written with a record, creation-time defaults.
import { makeCore, TestCore } from '../helpers/core';
import { ValidationError } from '../../core/errors';
import { migrate } from '../../core/store/migrate';
import type { Rec } from '../../core/types';

let t: TestCore;
beforeAll(async () => { t = await makeCore(); });
afterAll(() => t.close());

const get = (entity: string, id: number) => t.core.get(entity, id, t.ctx, { withDeleted: true });

describe('version_number', () => {
  test('1 on create, +1 per update that changes something, unchanged by a no-op or by writing it', async () => {
    const a = await t.core.create('account', { name: 'Versioned' }, t.ctx);
    expect(a.version_number).toBe(1);
    const u = await t.core.update('account', a.id, { name: 'Versioned 2' }, t.ctx);
    expect(u.version_number).toBe(2);
    expect(await get('account', a.id)).toEqual(u);
    const same = await t.core.update('account', a.id, { name: 'Versioned 2', version_number: 40 }, t.ctx);
    expect(same.version_number).toBe(2);
    expect((await get('account', a.id)).version_number).toBe(2);
  });

  test('delete, restore, mass update, a foreign-key link and lead conversion each count as a change', async () => {
    const a = await t.core.create('account', { name: 'Bumps' }, t.ctx);
    await t.core.delete('account', a.id, t.ctx);
    expect((await get('account', a.id)).version_number).toBe(2);
    await t.core.restore('account', a.id, t.ctx);
    expect((await get('account', a.id)).version_number).toBe(3);
    const r = await t.core.massUpdate('account', { ids: [a.id] }, { industry: 'Banking' }, t.ctx);
    expect(r.count).toBe(1);
    expect((await get('account', a.id)).version_number).toBe(4);
    const o = await t.core.create('opportunity', { name: 'Linked' }, t.ctx);
    await t.core.link('opportunity', o.id, 'opportunity.account_id', [a.id], t.ctx);
    expect((await get('opportunity', o.id)).version_number).toBe(2);
    const lead = await t.core.create('lead', { last_name: 'Conv' }, t.ctx);
    await t.core.convertLead(lead.id, { contact: { last_name: 'Conv' } }, t.ctx);
    expect((await get('lead', lead.id)).version_number).toBe(2);
  });

  test('a patch derived from a record that changed meanwhile is derived again from the newer one', async () => {
    const a = await t.core.create('account', { name: 'Race' }, t.ctx);
    const seen: number[] = [];
    const write = (name: string) => t.core.update('account', a.id, (before: Rec) => {
      seen.push(before.version_number as number);
      if (before.version_number !== 1) throw new Error('stale');
      return { name };
    }, t.ctx);
    const results = await Promise.allSettled([write('First'), write('Second')]);
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as Error).message).toBe('stale');
    expect(seen).toContain(2);
    expect((await get('account', a.id)).version_number).toBe(2);
  });

  test('a table from before versions gets the column, every existing record at version 1', async () => {
    const a = await t.core.create('campaign', { name: 'Old table' }, t.ctx);
    await t.core.db.run('ALTER TABLE crm_campaign DROP COLUMN version_number');
    await migrate(t.core.db, t.core.registry);
    expect((await get('campaign', a.id)).version_number).toBe(1);
    expect((await t.core.update('campaign', a.id, { name: 'Old table 2' }, t.ctx)).version_number).toBe(2);
  });
});

describe('relation columns ($columns)', () => {
  test('written on create for the links given, updated where a value changes, ignored for targets not linked', async () => {
    const x = await t.core.create('account', { name: 'Col X' }, t.ctx);
    const y = await t.core.create('account', { name: 'Col Y' }, t.ctx);
    const c = await t.core.create('contact', {
      last_name: 'Cols', account_ids: [x.id], $columns: { account_ids: { [x.id]: { role: 'CEO', is_inactive: true }, [y.id]: { role: 'Nope' } } },
    }, t.ctx);
    expect(c.account_ids).toEqual([x.id]);
    expect(c.$columns?.account_ids).toEqual({ [x.id]: { role: 'CEO', is_inactive: true } });
    const u = await t.core.update('contact', c.id, { $columns: { account_ids: { [x.id]: { is_inactive: false } } } }, t.ctx);
    expect(u.$columns?.account_ids).toEqual({ [x.id]: { role: 'CEO', is_inactive: false } });
    expect(u.version_number).toBe(2);
    const same = await t.core.update('contact', c.id, { $columns: { account_ids: { [x.id]: { role: 'CEO' } } } }, t.ctx);
    expect(same.version_number).toBe(2);
    const added = await t.core.update('contact', c.id, { account_ids: [x.id, y.id], $columns: { account_ids: { [y.id]: { role: 'CFO' } } } }, t.ctx);
    expect(added.$columns?.account_ids).toEqual({ [x.id]: { role: 'CEO', is_inactive: false }, [y.id]: { role: 'CFO' } });
  });

  test.each([
    ['a field without columns', { contact_ids: { 5: { role: 'x' } } }],
    ['a column the field does not keep', { account_ids: { 5: { status: 'Accepted' } } }],
    ['a wrong type', { account_ids: { 5: { is_inactive: 'yes' } } }],
    ['a target that is not an id', { account_ids: { abc: { role: 'x' } } }],
    ['not an object', { account_ids: 'role' }],
  ])('%s: ValidationError, nothing changed', async (_n, columns) => {
    const x = await t.core.create('account', { name: 'Bad col' }, t.ctx);
    const c = await t.core.create('contact', { last_name: 'Bad', account_ids: [x.id] }, t.ctx);
    await expect(t.core.update('contact', c.id, { title: 'Changed', $columns: columns }, t.ctx)).rejects.toBeInstanceOf(ValidationError);
    const stored = await get('contact', c.id);
    expect([stored.title, stored.version_number, stored.$columns?.account_ids]).toEqual([null, 1, { [x.id]: {} }]);
  });
});

describe('creation-time defaults', () => {
  test('case.opened_at and note.date default to created_at; a given value stays', async () => {
    const k = await t.core.create('case', { name: 'Opened' }, t.ctx);
    expect(k.opened_at).toBe(k.created_at);
    const given = await t.core.create('case', { name: 'Opened earlier', opened_at: '2026-01-02 03:04:05' }, t.ctx);
    expect(given.opened_at).toBe('2026-01-02 03:04:05');
    const n = await t.core.create('note', { body: 'Hello' }, t.ctx);
    expect(n.date).toBe(n.created_at);
    expect((await t.core.create('note', { body: 'Dated', date: '2025-12-31 23:00:00' }, t.ctx)).date).toBe('2025-12-31 23:00:00');
  });
});
