// What a lead's conversion does to the records around the lead (espocrm.md §9, EspoCRM's ConvertService): its calls
// and meetings get the new contact as an attendee and move to the new opportunity (else the new account), its emails
// move likewise, and the documents related to it are related to the new account and opportunity too.
import type { Ctx, Id, Patch, Where } from './types';
import type { StoreContext } from './store/write';
import { patchRecord } from './store/write';
import { findRecords } from './store/read';

export interface ConvertedRecords { accountId: Id | null; contactId: Id | null; opportunityId: Id | null }

export async function moveLeadRecords(sc: StoreContext, leadId: Id, made: ConvertedRecords, ctx: Ctx): Promise<void> {
  const parent: Patch = made.opportunityId !== null ? { parent_type: 'opportunity', parent_id: made.opportunityId }
    : made.accountId !== null ? { parent_type: 'account', parent_id: made.accountId } : {};
  const ofLead: Where = { and: [{ field: 'parent_type', op: 'eq', value: 'lead' }, { field: 'parent_id', op: 'eq', value: leadId }] };
  if (sc.registry.entity('activity')?.fields.attendee_contact_ids) {
    const calls = await findRecords(sc, 'activity', {
      where: { and: [ofLead, { field: 'kind', op: 'in', value: ['call', 'meeting'] }] }, links: ['attendee_contact_ids'],
    });
    for (const a of calls.records) {
      const patch: Patch = { ...parent };
      const attendees = (a.attendee_contact_ids as Id[] | undefined) ?? [];
      if (made.contactId !== null && !attendees.includes(made.contactId)) patch.attendee_contact_ids = [...attendees, made.contactId];
      if (Object.keys(patch).length) await patchRecord(sc, 'activity', a.id, patch, ctx);
    }
  }
  if (Object.keys(parent).length && sc.registry.entity('email')?.fields.parent_id) {
    const emails = await findRecords(sc, 'email', { where: ofLead, select: ['id'] });
    for (const e of emails.records) await patchRecord(sc, 'email', e.id, parent, ctx);
  }
  const doc = sc.registry.entity('document');
  if (doc?.fields.lead_ids && doc.fields.account_ids && doc.fields.opportunity_ids) {
    const docs = await findRecords(sc, 'document', {
      where: { link: 'document.lead_ids', op: 'linkedWith', value: [leadId] }, links: ['account_ids', 'opportunity_ids'],
    });
    for (const d of docs.records) {
      const patch: Patch = {};
      const add = (field: string, id: Id | null) => {
        const ids = (d[field] as Id[] | undefined) ?? [];
        if (id !== null && !ids.includes(id)) patch[field] = [...ids, id];
      };
      add('account_ids', made.accountId);
      add('opportunity_ids', made.opportunityId);
      if (Object.keys(patch).length) await patchRecord(sc, 'document', d.id, patch, ctx);
    }
  }
}
