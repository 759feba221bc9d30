// The multi-record commands: mass update/delete, merge, lead conversion, tags, changes since T.
// Each runs inside the caller's transaction (the Core wraps them), so they are all or nothing.
import type { ConvertLeadInput, ConvertLeadResult, Ctx, Id, MassTarget, Patch, Rec, Changes } from './types';
import { BadRequestError, NotFoundError } from './errors';
import type { StoreContext } from './store/write';
import { addLinks, insertRecord, patchRecord, softDelete } from './store/write';
import { findRecords, getRecord } from './store/read';
import { LINK_TABLE, TOMBSTONE_TABLE, q, tableOf } from './store/tables';
import { parentTypeField } from './schema/registry';
import { nowStamp } from './store/rows';
import { moveLeadRecords } from './lead-records';
import type { EmailEntry, PhoneEntry } from './types';

export async function targetIds(sc: StoreContext, entity: string, target: MassTarget): Promise<Id[]> {
  if (target.where) {
    const r = await findRecords(sc, entity, { where: target.where, select: ['id'], semantics: target.semantics });
    return r.records.map((x) => x.id);
  }
  if (!Array.isArray(target.ids)) throw new BadRequestError('Either ids or where is required.', 'target');
  if (!target.ids.length) return [];
  const r = await findRecords(sc, entity, { where: { field: 'id', op: 'in', value: target.ids }, select: ['id'] });
  return r.records.map((x) => x.id);
}

export async function massUpdate(sc: StoreContext, entity: string, target: MassTarget, patch: Patch | ((before: Rec) => Patch),
  ctx: Ctx): Promise<{ count: number; ids: Id[] }> {
  const ids = await targetIds(sc, entity, target);
  const changed: Id[] = [];
  for (const id of ids) {
    if (typeof patch !== 'function') {
      if (await patchRecord(sc, entity, id, patch, ctx)) changed.push(id);
      continue;
    }
    const before = await getRecord(sc, entity, id);
    if (before && await patchRecord(sc, entity, id, patch(before), ctx, before)) changed.push(id);
  }
  return { count: changed.length, ids: changed };
}

export async function massDelete(sc: StoreContext, entity: string, target: MassTarget, ctx: Ctx): Promise<{ count: number; ids: Id[] }> {
  const ids = await targetIds(sc, entity, target);
  for (const id of ids) await softDelete(sc, entity, id, ctx);
  return { count: ids.length, ids };
}

/** Repoints everything that referred to `loser` at `winner`: foreign keys, parents, link rows, contact points. */
export async function merge(sc: StoreContext, entity: string, winnerId: Id, loserIds: Id[], ctx: Ctx): Promise<void> {
  const winner = await getRecord(sc, entity, winnerId);
  if (!winner) throw new NotFoundError(entity, winnerId);
  const def = sc.registry.entity(entity)!;
  const fill: Patch = {};
  let emails = [...((winner.emails as EmailEntry[]) ?? [])];
  let phones = [...((winner.phones as PhoneEntry[]) ?? [])];
  for (const loserId of loserIds) {
    if (loserId === winnerId) continue;
    const loser = await getRecord(sc, entity, loserId);
    if (!loser) throw new NotFoundError(entity, loserId);
    for (const f of Object.values(def.fields)) {
      if (f.readonly || f.type === 'links' || ['email', 'email_2', 'email_opt_out'].includes(f.name) || f.name.startsWith('phone')) continue;
      if ((winner[f.name] === null || winner[f.name] === undefined) && loser[f.name] !== null && loser[f.name] !== undefined && !(f.name in fill)) fill[f.name] = loser[f.name];
    }
    emails = [...emails, ...((loser.emails as EmailEntry[]) ?? []).filter((e) => !emails.some((w) => w.address.toLowerCase() === e.address.toLowerCase()))];
    phones = [...phones, ...((loser.phones as PhoneEntry[]) ?? []).filter((p) => !phones.some((w) => w.number === p.number))];
    // Foreign keys and parents anywhere that point at the loser.
    for (const e of sc.registry.entityNames()) {
      for (const f of Object.values(sc.registry.entity(e)!.fields)) {
        if (f.type === 'link' && f.entity === entity) {
          await sc.db.run(`UPDATE ${tableOf(e)} SET ${q(f.name)} = ? WHERE ${q(f.name)} = ?`, [winnerId, loserId]);
        }
        if (f.type === 'parent') {
          await sc.db.run(`UPDATE ${tableOf(e)} SET ${q(f.name)} = ? WHERE ${q(f.name)} = ? AND ${q(parentTypeField(f.name))} = ?`, [winnerId, loserId, entity]);
        }
      }
    }
    // Link rows on either side (tags included); a pair the winner already has is dropped.
    for (const side of ['from_id', 'to_id'] as const) {
      const rows = await sc.db.all<{ rel: string; from_id: number; to_id: number; role: string | null; is_inactive: unknown; status: string | null }>(
        `SELECT * FROM ${LINK_TABLE} WHERE ${side} = ?`, [loserId]);
      for (const r of rows) {
        const other = side === 'from_id' ? Number(r.to_id) : Number(r.from_id);
        if (other === winnerId) continue;
        await addLinks(sc.db, r.rel, winnerId, [other], side === 'to_id', { role: r.role, status: r.status, is_inactive: r.is_inactive === null ? null : !!r.is_inactive });
      }
      await sc.db.run(`DELETE FROM ${LINK_TABLE} WHERE ${side} = ?`, [loserId]);
    }
    await softDelete(sc, entity, loserId, ctx);
  }
  const patch: Patch = { ...fill };
  if (def.emails) patch.emails = emails;
  if (def.phones) patch.phones = phones;
  await patchRecord(sc, entity, winnerId, patch, ctx);
}

const LEAD_TO_PERSON = ['salutation', 'first_name', 'middle_name', 'last_name', 'title', 'description', 'do_not_call',
  'address_street', 'address_city', 'address_state', 'address_postal_code', 'address_country', 'campaign_id'];

function pick(rec: Rec, fields: string[], allowed: Record<string, unknown>): Patch {
  const out: Patch = {};
  for (const f of fields) if (f in allowed && rec[f] !== null && rec[f] !== undefined) out[f] = rec[f];
  return out;
}

/** mapping.md C18: the lead's values fill what the caller did not give; explicit values win. */
export async function convertLead(sc: StoreContext, leadId: Id, input: ConvertLeadInput, ctx: Ctx): Promise<ConvertLeadResult> {
  const lead = await getRecord(sc, 'lead', leadId);
  if (!lead) throw new NotFoundError('lead', leadId);
  const reg = sc.registry;
  const fieldsOf = (e: string) => reg.entity(e)!.fields;
  let accountId: Id | null = input.accountId ?? null;
  let contactId: Id | null = null;
  let opportunityId: Id | null = null;
  const contacts = { emails: lead.emails, phones: lead.phones };
  if (input.account) {
    const base: Patch = {
      name: lead.account_name ?? lead.name, website: lead.website, industry: lead.industry, ...contacts,
      billing_address_street: lead.address_street, billing_address_city: lead.address_city, billing_address_state: lead.address_state,
      billing_address_postal_code: lead.address_postal_code, billing_address_country: lead.address_country,
      campaign_id: lead.campaign_id, original_lead_id: leadId,
    };
    accountId = await insertRecord(sc, 'account', clean({ ...onlyKnown(base, fieldsOf('account')), ...input.account }), ctx);
  }
  if (input.contact) {
    const base: Patch = { ...pick(lead, LEAD_TO_PERSON, fieldsOf('contact')), ...contacts, account_id: accountId, lead_source: lead.source };
    contactId = await insertRecord(sc, 'contact', clean({ ...onlyKnown(base, fieldsOf('contact')), ...input.contact }), ctx);
  }
  if (input.opportunity) {
    const base: Patch = {
      name: lead.account_name ?? lead.name, amount: lead.opportunity_amount, amount_currency: lead.opportunity_amount_currency,
      lead_source: lead.source, account_id: accountId, contact_id: contactId, campaign_id: lead.campaign_id,
      contact_ids: contactId ? [contactId] : undefined,
    };
    opportunityId = await insertRecord(sc, 'opportunity', clean({ ...onlyKnown(base, fieldsOf('opportunity')), ...input.opportunity }), ctx);
  }
  for (const [e, id] of [['account', accountId], ['contact', contactId], ['opportunity', opportunityId]] as const) {
    if (id && fieldsOf(e).original_lead_id && input[e]) await sc.db.run(`UPDATE ${tableOf(e)} SET original_lead_id = ? WHERE id = ?`, [leadId, id]);
  }
  await moveLeadRecords(sc, leadId, { accountId, contactId, opportunityId }, ctx);
  await sc.db.run(
    `UPDATE ${tableOf('lead')} SET status = 'Converted', converted_at = ?, created_account_id = ?, created_contact_id = ?, created_opportunity_id = ?, modified_at = ?, modified_by = ?, version_number = version_number + 1 WHERE id = ?`,
    [nowStamp(), input.account || input.accountId ? accountId : null, contactId, opportunityId, nowStamp(), ctx.user.id, leadId]);
  const get = async (e: string, id: Id | null) => (id ? (await getRecord(sc, e, id)) ?? null : null);
  return {
    lead: (await getRecord(sc, 'lead', leadId))!, account: await get('account', accountId),
    contact: await get('contact', contactId), opportunity: await get('opportunity', opportunityId),
  };
}

function onlyKnown(p: Patch, fields: Record<string, unknown>): Patch {
  const out: Patch = {};
  for (const [k, v] of Object.entries(p)) if (k in fields || k === 'emails' || k === 'phones') out[k] = v;
  return out;
}

function clean(p: Patch): Patch {
  const out: Patch = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

async function tagIds(sc: StoreContext, names: string[], ctx: Ctx, create: boolean): Promise<Id[]> {
  const ids: Id[] = [];
  for (const raw of names) {
    const name = String(raw).trim();
    if (!name) continue;
    const rows = await sc.db.all<{ id: number }>(`SELECT id FROM ${tableOf('tag')} WHERE lower(name) = ? AND deleted_at IS NULL`, [name.toLowerCase()]);
    if (rows[0]) ids.push(Number(rows[0].id));
    else if (create) ids.push(await insertRecord(sc, 'tag', { name }, ctx));
  }
  return ids;
}

export async function tagAdd(sc: StoreContext, entity: string, id: Id, names: string[], ctx: Ctx): Promise<void> {
  await addLinks(sc.db, `${entity}.tag_ids`, id, await tagIds(sc, names, ctx, true), false);
}

export async function tagRemove(sc: StoreContext, entity: string, id: Id, names: string[], ctx: Ctx): Promise<void> {
  for (const t of await tagIds(sc, names, ctx, false)) {
    await sc.db.run(`DELETE FROM ${LINK_TABLE} WHERE rel = ? AND from_id = ? AND to_id = ?`, [`${entity}.tag_ids`, id, t]);
  }
}

export async function changesSince(sc: StoreContext, entity: string, since: string): Promise<Changes> {
  const updated = await findRecords(sc, entity, {
    where: { field: 'modified_at', op: 'gt', value: since }, deleted: 'exclude', sort: [{ field: 'modified_at', dir: 'asc' }],
    contactPoints: true, links: true,
  });
  const soft = await findRecords(sc, entity, {
    where: { field: 'deleted_at', op: 'gt', value: since }, deleted: 'only', select: ['id', 'deleted_at'],
  });
  const hard = await sc.db.all<{ id: number; deleted_at: string }>(
    `SELECT id, deleted_at FROM ${TOMBSTONE_TABLE} WHERE entity = ? AND deleted_at > ? ORDER BY deleted_at`, [entity, since]);
  return {
    updated: updated.records,
    deleted: [...soft.records.map((r) => ({ id: r.id, deleted_at: String(r.deleted_at) })), ...hard.map((r) => ({ id: Number(r.id), deleted_at: r.deleted_at }))],
  };
}
