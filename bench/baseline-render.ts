// The baseline's hand-written renderers: rows -> about the same JSON the gateway's EspoCRM and react-admin dialects send.
export type Row = Record<string, unknown>;
export interface PointRow { record_id: number; kind: string; position: number; value: string; lower_value: string; type: string | null; opt_out: number; invalid: number }
export interface LinkRow { rel: string; from_id: number; to_id: number; role: string | null; is_inactive: number | null; name: string | null }

const hex = (v: unknown) => (v === null || v === undefined ? null : Number(v).toString(16).padStart(17, '0'));
const flag = (v: unknown) => v === 1 || v === true;
const iso = (v: unknown) => (typeof v === 'string' ? `${v.replace(' ', 'T')}.000Z` : null);

/** EspoCRM's Contact attributes; `links` (the full read) adds the accounts and teams lists. */
export function espoContact(r: Row, points: PointRow[], links?: LinkRow[]): Record<string, unknown> {
  const emails = points.filter((p) => p.kind === 'email');
  const phones = points.filter((p) => p.kind === 'phone');
  const out: Record<string, unknown> = {
    id: hex(r.id), createdAt: r.created_at, modifiedAt: r.modified_at, createdById: hex(r.created_by), createdByName: r.created_by_name,
    modifiedById: hex(r.modified_by), modifiedByName: r.modified_by_name, assignedUserId: hex(r.assigned_user_id),
    assignedUserName: r.assigned_user_name, deleted: r.deleted_at !== null,
  };
  if (links) {
    const teams = links.filter((l) => l.rel === 'contact.team_ids');
    out.teamsIds = teams.map((l) => hex(l.to_id));
    out.teamsNames = {};
  }
  Object.assign(out, {
    emailAddress: emails[0]?.value ?? null, phoneNumber: phones[0]?.value ?? null, salutationName: r.salutation,
    firstName: r.first_name, middleName: r.middle_name, lastName: r.last_name, name: r.name, title: r.title,
    accountId: hex(r.account_id), accountName: r.account_name,
  });
  if (links) {
    const accounts = links.filter((l) => l.rel === 'contact.account_ids');
    out.accountsIds = accounts.map((l) => hex(l.to_id));
    out.accountsNames = Object.fromEntries(accounts.map((l) => [hex(l.to_id), l.name]));
    out.accountsColumns = Object.fromEntries(accounts.map((l) => [hex(l.to_id), { role: l.role, isInactive: flag(l.is_inactive) }]));
  }
  Object.assign(out, {
    accountIsInactive: false, doNotCall: flag(r.do_not_call), addressStreet: r.address_street, addressCity: r.address_city,
    addressState: r.address_state, addressPostalCode: r.address_postal_code, addressCountry: r.address_country,
    description: r.description, campaignId: hex(r.campaign_id), campaignName: r.campaign_name,
    originalLeadId: hex(r.original_lead_id), originalLeadName: r.original_lead_name,
    emailAddressIsOptedOut: flag(emails[0]?.opt_out), emailAddressIsInvalid: flag(emails[0]?.invalid),
  });
  if (links) {
    out.emailAddressData = emails.map((e, i) => ({ emailAddress: e.value, lower: e.lower_value, primary: i === 0, optOut: flag(e.opt_out), invalid: flag(e.invalid) }));
  }
  out.phoneNumberIsOptedOut = flag(phones[0]?.opt_out);
  out.phoneNumberIsInvalid = flag(phones[0]?.invalid);
  if (links) {
    out.phoneNumberData = phones.map((p, i) => ({ phoneNumber: p.value, type: 'Office', primary: i === 0, optOut: flag(p.opt_out), invalid: flag(p.invalid) }));
  }
  return out;
}

/** A react-admin (BasicsOS) contact. */
export function raContact(r: Row, points: PointRow[], tags: number[]): Record<string, unknown> {
  return {
    id: r.id, first_name: r.first_name, last_name: r.last_name, email: r.email, company_id: r.account_id, title: r.title,
    linkedin_url: r.linkedin_url, gender: r.gender, status: r.status, has_newsletter: r.has_newsletter === null ? null : flag(r.has_newsletter),
    first_seen: r.first_seen, last_seen: r.last_seen, background: r.description,
    email_jsonb: points.filter((p) => p.kind === 'email').map((p) => ({ email: p.value, type: 'Work' })),
    phone_jsonb: points.filter((p) => p.kind === 'phone').map((p) => ({ number: p.value, type: 'Work' })),
    tags, custom_fields: {}, created_at: iso(r.created_at), updated_at: iso(r.modified_at), crm_user_id: r.created_by, sales_id: r.assigned_user_id,
  };
}
