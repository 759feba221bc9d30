// The wire fields of each react-admin resource, in render and write order (mapping.md §2 react-admin column,
// react-admin.md §5.3, §6): BasicsOS names first, Atomic names beside them (R6), run-time fields by their own name.
import type { Registry } from '../../core/schema/registry';
import { computedField, plainField, type WireField } from './fields';
import {
  archivedAtField, attachmentsField, contactListField, customFieldsField, doneDateField, jsonField, noteDateField,
  parentIdField, taskTypeField,
} from './fields-special';
import { FieldError, stringIn } from './values';

/** Run-time entities this dialect defines for its own resources (not in fixtures/: see the report). */
export const AUTOMATION_ENTITY = 'automation_rule';
export const SETTINGS_ENTITY = 'settings';

export type Build = (reg: Registry) => (WireField | undefined)[];

/** §2.0 system fields; tasks name their owner `assignee_id` themselves. */
function system(reg: Registry, entity: string, withOwner = true): (WireField | undefined)[] {
  return [
    plainField(reg, entity, 'created_at'),
    plainField(reg, entity, 'updated_at', 'modified_at'),
    plainField(reg, entity, 'crm_user_id', 'created_by'),
    withOwner ? plainField(reg, entity, 'sales_id', 'assigned_user_id') : undefined,
  ];
}

/** Run-time fields added to a built-in entity: top-level under their canonical names (§3.2). */
function customFields(reg: Registry, entity: string): (WireField | undefined)[] {
  return reg.fields(entity).filter((f) => f.custom).map((f) => plainField(reg, entity, f.name, f.name, { search: false }));
}

const STAGE_IN: Record<string, string> = {
  opportunity: 'Prospecting', 'proposal-sent': 'Proposal', 'in-negociation': 'Negotiation', 'in-negotiation': 'Negotiation',
  won: 'Closed Won', lost: 'Closed Lost', delayed: 'Delayed',
};
const stageIn = (v: unknown) => (typeof v === 'string' ? STAGE_IN[v.trim().toLowerCase()] ?? v : v);
/** BasicsOS `category` may be an array: joined with ", " (§2.1). */
const categoryIn = (v: unknown) => {
  if (!Array.isArray(v)) return v;
  return v.map((x) => { if (typeof x === 'object' && x !== null) throw new FieldError('expected strings'); return stringIn(x); }).join(', ');
};

export const contactFields: Build = (reg) => [
  plainField(reg, 'contact', 'id'),
  plainField(reg, 'contact', 'first_name', 'first_name', { search: true }),
  plainField(reg, 'contact', 'last_name', 'last_name', { search: true }),
  plainField(reg, 'contact', 'email', 'email', { search: 'emails' }),
  plainField(reg, 'contact', 'company_id', 'account_id'),
  plainField(reg, 'contact', 'title'),
  plainField(reg, 'contact', 'linkedin_url'),
  plainField(reg, 'contact', 'gender'),
  plainField(reg, 'contact', 'status'),
  plainField(reg, 'contact', 'has_newsletter'),
  plainField(reg, 'contact', 'first_seen'),
  plainField(reg, 'contact', 'last_seen'),
  plainField(reg, 'contact', 'background', 'description'),
  contactListField('email'),
  contactListField('phone'),
  plainField(reg, 'contact', 'tags', 'tag_ids'),
  ...customFields(reg, 'contact'),
  customFieldsField(reg, 'contact'),
  ...system(reg, 'contact'),
];

export const companyFields: Build = (reg) => [
  plainField(reg, 'account', 'id'),
  plainField(reg, 'account', 'name', 'name', { required: true, search: true }),
  plainField(reg, 'account', 'domain', 'website', { search: true }),
  plainField(reg, 'account', 'website', 'website', { alias: true }),
  plainField(reg, 'account', 'description'),
  plainField(reg, 'account', 'category', 'industry', { mapIn: categoryIn, search: true }),
  plainField(reg, 'account', 'sector', 'industry', { mapIn: categoryIn, alias: true }),
  plainField(reg, 'account', 'phone_number', 'phone'),
  plainField(reg, 'account', 'address', 'billing_address_street'),
  plainField(reg, 'account', 'city', 'billing_address_city'),
  plainField(reg, 'account', 'state_abbr', 'billing_address_state'),
  plainField(reg, 'account', 'zipcode', 'billing_address_postal_code'),
  plainField(reg, 'account', 'country', 'billing_address_country'),
  plainField(reg, 'account', 'size', 'employees'),
  plainField(reg, 'account', 'revenue', 'annual_revenue'),
  plainField(reg, 'account', 'linkedin_url'),
  plainField(reg, 'account', 'tax_identifier'),
  ...customFields(reg, 'account'),
  customFieldsField(reg, 'account'),
  ...system(reg, 'account'),
];

export const companyName = computedField('company_name', (rec) => (rec.$names?.account_id as string | null | undefined) ?? null, { names: ['account_id'] });

export const dealFields: Build = (reg) => [
  plainField(reg, 'opportunity', 'id'),
  plainField(reg, 'opportunity', 'name', 'name', { required: true, search: true }),
  plainField(reg, 'opportunity', 'company_id', 'account_id', { required: true }),
  companyName,
  plainField(reg, 'opportunity', 'contact_ids'),
  plainField(reg, 'opportunity', 'status', 'stage', { required: true, mapIn: stageIn }),
  plainField(reg, 'opportunity', 'stage', 'stage', { alias: true, mapIn: stageIn }),
  plainField(reg, 'opportunity', 'amount'),
  plainField(reg, 'opportunity', 'category', 'type'),
  plainField(reg, 'opportunity', 'expected_closing_date', 'close_date'),
  plainField(reg, 'opportunity', 'description'),
  plainField(reg, 'opportunity', 'index', 'position'),
  archivedAtField(reg),
  ...customFields(reg, 'opportunity'),
  customFieldsField(reg, 'opportunity'),
  ...system(reg, 'opportunity'),
];

export const taskFields: Build = (reg) => [
  plainField(reg, 'activity', 'id'),
  plainField(reg, 'activity', 'text', 'name', { search: true }),
  plainField(reg, 'activity', 'description', 'description', { search: true }),
  taskTypeField(reg),                      // before done_date: a kind change decides Completed or Held
  plainField(reg, 'activity', 'due_date', 'date_end'),
  doneDateField(reg),
  plainField(reg, 'activity', 'contact_id'),
  plainField(reg, 'activity', 'company_id', 'account_id'),
  parentIdField(reg, 'activity', 'deal_id', 'opportunity'),
  plainField(reg, 'activity', 'parent_task_id'),
  plainField(reg, 'activity', 'assignee_id', 'assigned_user_id'),
  plainField(reg, 'activity', 'sales_id', 'assigned_user_id', { alias: true }),
  ...customFields(reg, 'activity'),
  ...system(reg, 'activity', false),
];

export function noteFields(parentWire: string, parentType: string, extra: 'status' | 'type'): Build {
  return (reg) => [
    plainField(reg, 'note', 'id'),
    parentIdField(reg, 'note', parentWire, parentType, { scoped: true, required: true }),
    plainField(reg, 'note', 'title', 'title', { search: true }),
    plainField(reg, 'note', 'text', 'body', { search: true }),
    noteDateField(reg),
    plainField(reg, 'note', extra),
    attachmentsField(),
    ...customFields(reg, 'note'),
    ...system(reg, 'note'),
  ];
}

export const tagFields: Build = (reg) => [
  plainField(reg, 'tag', 'id'),
  plainField(reg, 'tag', 'name', 'name', { required: true, search: true }),
  plainField(reg, 'tag', 'color', 'color', { required: true }),
  ...system(reg, 'tag'),
];

export const userFields: Build = (reg) => [
  plainField(reg, 'user', 'id'),
  plainField(reg, 'user', 'first_name', 'first_name', { search: true }),
  plainField(reg, 'user', 'last_name', 'last_name', { search: true }),
  plainField(reg, 'user', 'email', 'email', { search: true }),
  plainField(reg, 'user', 'administrator', 'is_admin'),
  plainField(reg, 'user', 'disabled', 'is_active', { mapIn: (v) => (typeof v === 'boolean' ? !v : v === 'true' ? false : v === 'false' ? true : v), mapOut: (v) => v === false }),
  plainField(reg, 'user', 'created_at'),
  plainField(reg, 'user', 'updated_at', 'modified_at'),
];

export const automationFields: Build = (reg) => [
  plainField(reg, AUTOMATION_ENTITY, 'id'),
  plainField(reg, AUTOMATION_ENTITY, 'name', 'name', { required: true, search: true }),
  plainField(reg, AUTOMATION_ENTITY, 'enabled'),
  reg.field(AUTOMATION_ENTITY, 'workflow_definition') ? jsonField('workflow_definition') : undefined,
  plainField(reg, AUTOMATION_ENTITY, 'last_run_at'),
  ...system(reg, AUTOMATION_ENTITY),
];

/** Every canonical field under its own name, system fields as §2.0 names them (the generic rule). */
export function genericFields(reg: Registry, entity: string): (WireField | undefined)[] {
  const def = reg.entity(entity)!;
  const skip = new Set(['created_at', 'modified_at', 'created_by', 'modified_by', 'assigned_user_id', 'deleted_at',
    'version_number']);
  const out: (WireField | undefined)[] = [];
  for (const f of Object.values(def.fields)) {
    if (skip.has(f.name)) continue;
    const textual = ['string', 'text', 'email', 'url'].includes(f.type) && !f.readonly;
    out.push(plainField(reg, entity, f.name, f.name, { search: textual && f.name !== 'email_2' }));
  }
  if (def.emails) out.push(listField('emails'));
  if (def.phones) out.push(listField('phones'));
  return [...out, ...system(reg, entity)];
}

/** The canonical contact-point list as is (generic resources such as `leads`). */
function listField(list: 'emails' | 'phones'): WireField {
  return {
    name: list, canonical: list, load: { contactPoints: true },
    read: (rec) => (rec[list] as unknown[] | undefined) ?? [],
    write: (v, st) => {
      if (v !== null && !Array.isArray(v)) throw new FieldError('expected an array');
      st.patch[list] = v ?? [];
    },
  };
}

