// The built-in schema (fixtures/schema) against mapping.md, and the demo data (fixtures/demo) against the schema.
import * as fs from 'fs';
import * as path from 'path';
import { SYSTEM_FIELDS, type FieldType } from '../../core/schema/types';
import { generateDemo, type DemoRecord } from '../../fixtures/demo/generate';

type RawField = Record<string, unknown> & { type: FieldType };
interface RawEntity {
  label: string; plural: string; person?: boolean; emails?: boolean; phones?: boolean; numbered?: boolean;
  fields: Record<string, RawField>;
}
interface RawPicklist { values: string[]; default?: string }

const SCHEMA_DIR = path.join(__dirname, '../../fixtures/schema');
const picklists: Record<string, RawPicklist> = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'picklists.json'), 'utf8'));
const entities: Record<string, RawEntity> = Object.fromEntries(
  fs.readdirSync(path.join(SCHEMA_DIR, 'entities'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'entities', f), 'utf8'))]),
);
const allFields = Object.entries(entities).flatMap(([entity, def]) =>
  Object.entries(def.fields).map(([name, field]) => ({ entity, name, field })));

const ENTITY_NAMES = ['account', 'contact', 'lead', 'opportunity', 'opportunity_line', 'opportunity_history', 'activity',
  'note', 'case', 'document', 'product', 'campaign', 'campaign_member', 'campaign_stage', 'email', 'user', 'tag', 'team',
  'document_folder',
  // react-admin's own resources (spec/react-admin.md §3.1): automation_rules and the one configuration record
  'automation_rule', 'settings'];
const FIELD_TYPES: FieldType[] = ['string', 'text', 'email', 'phone', 'url', 'int', 'float', 'currency', 'bool', 'date',
  'datetime', 'enum', 'multienum', 'link', 'links', 'parent'];
const FIELD_KEYS = ['type', 'label', 'required', 'readonly', 'default', 'maxLength', 'min', 'max', 'picklist', 'entity',
  'parentTypes', 'columns', 'index'];
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const EMAIL_SLOTS = ['email', 'email_2', 'email_opt_out', 'emails'];
const PHONE_SLOTS = ['phone', 'phone_office', 'phone_mobile', 'phone_home', 'phone_fax', 'phone_other', 'phones'];

/** mapping.md §1: the only fields the core requires. */
const REQUIRED = ['account.name', 'opportunity.name', 'opportunity_line.opportunity_id', 'case.name', 'document.name',
  'product.name', 'campaign.name', 'campaign_member.campaign_id', 'campaign_stage.campaign_id', 'campaign_stage.name',
  'email.subject', 'user.user_name', 'tag.name', 'team.name', 'document_folder.name', 'automation_rule.name'];

const DEFAULTS: Record<string, unknown> = {
  'opportunity.stage': 'Prospecting', 'lead.status': 'New', 'case.status': 'New', 'case.priority': 'Normal',
  'activity.kind': 'task', 'campaign.status': 'Planning', 'document.status': 'Active', 'email.status': 'Archived',
  'product.is_active': true, 'opportunity_line.quantity': 1, 'opportunity_line.unit_price': 0, 'email.is_html': true,
  'user.is_active': true, 'user.type': 'regular',
};

/** mapping.md §2: canonical fields (main tables and the "Only in" lines) that must be declared. */
const EXPECTED_FIELDS: Record<string, string> = {
  account: `name website type industry description billing_address_street billing_address_city billing_address_state
    billing_address_postal_code billing_address_country shipping_address_street shipping_address_city
    shipping_address_state shipping_address_postal_code shipping_address_country sic_code employees annual_revenue
    source campaign_id original_lead_id billing_address_po_box shipping_address_po_box rating parent_account_id
    ownership ticker_symbol notify_owner lead_score sla_id linkedin_url tax_identifier`,
  contact: `salutation first_name middle_name last_name title department account_id account_ids left_company do_not_call
    address_street address_city address_state address_postal_code address_country description lead_score campaign_id
    original_lead_id address_po_box other_address_street other_address_city other_address_state
    other_address_postal_code other_address_country other_address_po_box birthday lead_source reports_to_id assistant
    assistant_phone support_start_date support_end_date portal notify_owner decision_maker on_hold linkedin_url gender
    status has_newsletter first_seen last_seen`,
  lead: `salutation first_name middle_name last_name title account_name status source industry website do_not_call
    address_street address_city address_state address_postal_code address_country address_po_box opportunity_amount
    description campaign_id converted_at created_account_id created_contact_id created_opportunity_id rating
    annual_revenue employees`,
  opportunity: `name account_id contact_id contact_ids amount stage probability close_date lead_source type next_step
    description campaign_id original_lead_id forecast_category repeat forecast_amount last_stage position`,
  opportunity_line: 'opportunity_id name product_id quantity unit_price amount description position',
  opportunity_history: 'opportunity_id stage amount probability forecast_category close_date',
  activity: `kind type name description status priority date_start date_end all_day duration date_completed parent_id
    account_id contact_id attendee_user_ids attendee_contact_ids attendee_lead_ids direction email_subject email_from
    email_to email_cc parent_task_id location reminder_minutes visibility recurring_type send_notification`,
  note: 'body parent_id attachments title date status type is_private',
  case: `name status priority type account_id contact_id description contact_ids lead_id is_internal category severity
    product_id solution hours days opened_at closed_at level_id`,
  document: `name file_name status description size mime_type folder_id account_ids contact_ids lead_ids opportunity_ids
    case_ids type publish_date expiration_date location_type file_url version download_count`,
  product: 'name code unit_price is_active category description usage_unit qty_in_stock qty_per_unit website',
  campaign: `name type status start_date end_date budget description won_amount is_active drip_feed member_count
    opportunity_count actual_cost expected_revenue product_id sponsor target_audience`,
  campaign_member: 'campaign_id contact_id lead_id account_id stage_id status date',
  campaign_stage: 'campaign_id name sequence date',
  email: `subject from_address to_addresses cc_addresses bcc_addresses body status date_sent parent_id reply_to is_html
    message_id is_read`,
  user: 'user_name first_name last_name is_admin is_active type title time_zone',
  tag: 'name color',
  team: 'name',
  document_folder: 'name',
};

const READONLY = ['opportunity_line.amount', 'lead.converted_at', 'lead.created_account_id', 'lead.created_contact_id',
  'lead.created_opportunity_id', 'account.original_lead_id', 'contact.original_lead_id', 'opportunity.original_lead_id',
  'opportunity.last_stage', 'activity.date_completed', 'activity.duration', 'campaign.won_amount',
  'campaign.member_count', 'campaign.opportunity_count', 'email.message_id', 'document.download_count', 'case.closed_at'];

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

describe('fixtures/schema', () => {
  test('has exactly the canonical entities of mapping.md §1', () => {
    expect(Object.keys(entities).sort()).toEqual([...ENTITY_NAMES].sort());
  });

  test.each(ENTITY_NAMES)('%s: labels, flags and field definitions are well formed', (name) => {
    const def = entities[name]!;
    expect(typeof def.label).toBe('string');
    expect(typeof def.plural).toBe('string');
    expect(def.label.length).toBeGreaterThan(0);
    expect(def.plural).not.toBe(def.label);
    for (const flag of ['person', 'emails', 'phones', 'numbered'] as const) expect(typeof def[flag]).toBe('boolean');
    expect(Object.keys(def.fields).length).toBeGreaterThan(0);
    for (const [field, f] of Object.entries(def.fields)) {
      expect([name, field, SNAKE.test(field)]).toEqual([name, field, true]);
      expect(FIELD_TYPES).toContain(f.type);
      expect(Object.keys(f).filter((k) => !FIELD_KEYS.includes(k))).toEqual([]);
      expect(Object.keys(SYSTEM_FIELDS)).not.toContain(field);
      expect(['number', 'parent_type', 'tag_ids', 'team_ids']).not.toContain(field);
    }
  });

  test('enum and multienum fields name an existing picklist, and their defaults are in it', () => {
    for (const { entity, name, field } of allFields) {
      const where = `${entity}.${name}`;
      if (field.type === 'enum' || field.type === 'multienum') {
        expect([where, typeof field.picklist === 'string' && field.picklist in picklists]).toEqual([where, true]);
        if (field.default !== undefined) {
          expect([where, picklists[field.picklist as string]!.values.includes(field.default as string)]).toEqual([where, true]);
        }
      } else {
        expect([where, field.picklist]).toEqual([where, undefined]);
      }
    }
  });

  test('link, links and parent fields target existing entities and follow the naming rule', () => {
    for (const { entity, name, field } of allFields) {
      const where = `${entity}.${name}`;
      if (field.type === 'link' || field.type === 'links') {
        expect([where, ENTITY_NAMES.includes(field.entity as string)]).toEqual([where, true]);
        expect([where, name.endsWith(field.type === 'link' ? '_id' : '_ids')]).toEqual([where, true]);
        for (const column of (field.columns as string[] | undefined) ?? []) {
          expect(field.type).toBe('links');
          expect(['role', 'is_inactive', 'status']).toContain(column);
        }
      } else if (field.type === 'parent') {
        expect(name).toBe('parent_id');
        expect(field.entity).toBeUndefined();
        const types = field.parentTypes as string[];
        expect(types.length).toBeGreaterThan(0);
        for (const t of types) {
          expect(ENTITY_NAMES).toContain(t);
          expect(picklists.parent_type!.values).toContain(t);
        }
      } else {
        expect([where, field.entity, field.parentTypes, field.columns]).toEqual([where, undefined, undefined, undefined]);
      }
    }
  });

  test('required fields are exactly the core R fields of mapping.md §1', () => {
    const required = allFields.filter((f) => f.field.required === true).map((f) => `${f.entity}.${f.name}`);
    expect(required.sort()).toEqual([...REQUIRED].sort());
  });

  test('defaults are those mapping.md gives, with values of the field type', () => {
    for (const [key, value] of Object.entries(DEFAULTS)) {
      const [entity, field] = key.split('.') as [string, string];
      expect([key, entities[entity]!.fields[field]?.default]).toEqual([key, value]);
    }
    for (const { entity, name, field } of allFields.filter((f) => f.field.default !== undefined)) {
      const expected = { bool: 'boolean', int: 'number', float: 'number', currency: 'number' }[field.type as string] ?? 'string';
      expect([`${entity}.${name}`, typeof field.default]).toEqual([`${entity}.${name}`, expected]);
    }
  });

  test('every canonical field of mapping.md §2 is declared', () => {
    for (const [entity, list] of Object.entries(EXPECTED_FIELDS)) {
      const missing = words(list).filter((f) => !(f in entities[entity]!.fields));
      expect([entity, missing]).toEqual([entity, []]);
    }
  });

  test('computed fields are readonly, and so is all of opportunity_history', () => {
    for (const key of READONLY) {
      const [entity, field] = key.split('.') as [string, string];
      expect([key, entities[entity]!.fields[field]?.readonly]).toEqual([key, true]);
    }
    for (const [name, f] of Object.entries(entities.opportunity_history!.fields)) expect([name, f.readonly]).toEqual([name, true]);
  });

  test('each currency field has its _currency sibling', () => {
    for (const { entity, name } of allFields.filter((f) => f.field.type === 'currency')) {
      const sibling = entities[entity]!.fields[`${name}_currency`];
      expect([`${entity}.${name}`, sibling?.type, sibling?.maxLength]).toEqual([`${entity}.${name}`, 'string', 3]);
    }
  });

  test('contact points and person names are left to the core', () => {
    const flags = (e: string): unknown[] => [e, entities[e]!.person, entities[e]!.emails, entities[e]!.phones];
    for (const e of ['account']) expect(flags(e)).toEqual([e, false, true, true]);
    for (const e of ['contact', 'lead']) expect(flags(e)).toEqual([e, true, true, true]);
    expect(flags('user')).toEqual(['user', true, true, false]);
    for (const e of ENTITY_NAMES.filter((n) => !['account', 'contact', 'lead', 'user'].includes(n))) {
      expect(flags(e)).toEqual([e, false, false, false]);
    }
    for (const [name, def] of Object.entries(entities)) {
      const declared = Object.keys(def.fields);
      if (def.emails) expect([name, declared.filter((f) => EMAIL_SLOTS.includes(f))]).toEqual([name, []]);
      if (def.phones) expect([name, declared.filter((f) => PHONE_SLOTS.includes(f))]).toEqual([name, []]);
      if (def.person) {
        expect([name, 'name' in def.fields]).toEqual([name, false]);
        for (const f of ['first_name', 'middle_name', 'last_name']) expect([name, f, def.fields[f]?.type]).toEqual([name, f, 'string']);
      }
    }
    for (const e of ['contact', 'lead']) expect(entities[e]!.fields.salutation).toEqual({ type: 'enum', picklist: 'salutation' });
  });

  test('numbered entities are those with a counter in mapping.md 2.0', () => {
    const numbered = Object.entries(entities).filter(([, d]) => d.numbered).map(([n]) => n).sort();
    expect(numbered).toEqual(['account', 'campaign', 'case', 'contact', 'document', 'lead', 'opportunity', 'product']);
  });
});

describe('fixtures/schema/picklists.json', () => {
  test('every picklist has distinct non-empty values and a default among them', () => {
    for (const [name, p] of Object.entries(picklists)) {
      expect([name, SNAKE.test(name)]).toEqual([name, true]);
      expect(Object.keys(p).filter((k) => k !== 'values' && k !== 'default')).toEqual([]);
      expect(p.values.length).toBeGreaterThan(0);
      expect(new Set(p.values).size).toBe(p.values.length);
      for (const v of p.values) expect(v.trim()).toBe(v);
      if (p.default !== undefined) expect([name, p.values.includes(p.default)]).toEqual([name, true]);
    }
  });

  test('every picklist is used by a field (parent_type by the core)', () => {
    const used = new Set(allFields.map((f) => f.field.picklist).filter(Boolean));
    expect(Object.keys(picklists).filter((p) => p !== 'parent_type' && !used.has(p))).toEqual([]);
  });

  test('values are the canonical ones of mapping.md §4', () => {
    expect(picklists.activity_kind).toEqual({ values: ['task', 'call', 'meeting', 'email', 'note'], default: 'task' });
    expect(picklists.parent_type!.values).toEqual(['account', 'contact', 'lead', 'opportunity', 'case', 'campaign']);
    expect(picklists.opportunity_stage!.values).toEqual(['Prospecting', 'Qualification', 'Needs Analysis',
      'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal', 'Negotiation', 'Closed Won',
      'Closed Lost', 'Delayed']);
    expect(picklists.case_status).toEqual({ values: ['New', 'Assigned', 'Pending', 'Closed', 'Rejected', 'Duplicate'], default: 'New' });
    expect(picklists.priority).toEqual({ values: ['Low', 'Normal', 'High', 'Urgent'], default: 'Normal' });
    expect(picklists.salutation!.values).toEqual(['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']);
    expect(picklists.contact_status!.values).toEqual(['cold', 'warm', 'hot', 'in-contract']);
    expect(picklists.user_type).toEqual({ values: ['regular', 'admin', 'portal', 'system', 'super-admin', 'api'], default: 'regular' });
    expect(picklists.email_status!.default).toBe('Archived');
    expect(picklists.lead_status!.values).toHaveLength(13);
    expect(picklists.lead_source!.values).toHaveLength(14);
    expect(picklists.industry!.values).toHaveLength(60);
    expect(picklists.industry!.values).toContain('Testing, Inspection & Certification');
    expect(picklists.account_type!.values).toHaveLength(11);
    expect(picklists.campaign_type!.values).toHaveLength(17);
    expect(picklists.activity_status!.values).toHaveLength(9);
  });
});

describe('fixtures/demo', () => {
  const demo = generateDemo();
  const records = demo.records;
  const byRef = new Map(records.map((r, i) => [r.ref, { record: r, index: i }]));
  const ofEntity = (e: string): DemoRecord[] => records.filter((r) => r.entity === e);
  const isRef = (v: unknown): v is { $ref: string } =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).join() === '$ref';

  test('is deterministic: same data on every call, no clock or Math.random in its sources', () => {
    expect(generateDemo()).toEqual(demo);
    const dir = path.join(__dirname, '../../fixtures/demo');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      expect([file, /Math\.random|Date\.now|new Date\(\)|performance\.now/.test(source)]).toEqual([file, false]);
    }
  });

  test('has the promised quantities, admin first, in dependency order', () => {
    const order = ['user', 'tag', 'campaign', 'product', 'account', 'contact', 'lead', 'opportunity', 'opportunity_line',
      'activity', 'note', 'case', 'document', 'email'];
    expect(records.map((r) => r.entity).filter((e, i, all) => all[i - 1] !== e)).toEqual(order);
    const counts = { user: 5, tag: 8, campaign: 5, product: 12, account: 50, contact: 200, lead: 60, opportunity: 80,
      activity: 150, note: 100, case: 30, document: 10, email: 10 };
    for (const [entity, n] of Object.entries(counts)) expect([entity, ofEntity(entity).length]).toEqual([entity, n]);
    expect(records[0]).toMatchObject({ ref: 'user:admin', entity: 'user', data: { user_name: 'admin', is_admin: true, type: 'admin' } });
    expect(ofEntity('user').slice(1).every((u) => u.data.is_admin === false && u.data.type === 'regular')).toBe(true);
    expect(new Set(records.map((r) => r.ref)).size).toBe(records.length);
  });

  test('every $ref resolves to an earlier record of the linked entity, created no later', () => {
    records.forEach((r, index) => {
      const check = (field: string, v: { $ref: string }, expected: string[] | null): void => {
        const target = byRef.get(v.$ref);
        expect([r.ref, field, v.$ref, target !== undefined && target.index < index]).toEqual([r.ref, field, v.$ref, true]);
        if (expected) expect([r.ref, field, expected.includes(target!.record.entity)]).toEqual([r.ref, field, true]);
        expect([r.ref, field, (target!.record.data.created_at as string) <= (r.data.created_at as string)]).toEqual([r.ref, field, true]);
      };
      for (const [field, value] of Object.entries(r.data)) {
        const def = entities[r.entity]!.fields[field];
        const target = field === 'tag_ids' ? ['tag'] : field === 'assigned_user_id' ? ['user']
          : def?.type === 'parent' ? [r.data.parent_type as string] : def?.entity ? [def.entity as string] : null;
        for (const v of Array.isArray(value) ? value : [value]) if (isRef(v)) check(field, v, target);
      }
    });
  });

  test('every value fits its field definition and enum values are in their picklists', () => {
    const DATE = /^\d{4}-\d{2}-\d{2}$/;
    const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    for (const r of records) {
      const def = entities[r.entity]!;
      for (const [field, value] of Object.entries(r.data)) {
        const where = `${r.ref}.${field}`;
        if (field === 'created_at') { expect([where, DATETIME.test(value as string)]).toEqual([where, true]); continue; }
        if (field === 'assigned_user_id' || field === 'tag_ids') continue; // checked with the refs
        if (field === 'parent_type') {
          expect([where, (def.fields.parent_id?.parentTypes as string[] | undefined)?.includes(value as string)]).toEqual([where, true]);
          continue;
        }
        if (field === 'emails' || field === 'phones') {
          expect([where, field === 'emails' ? def.emails : def.phones]).toEqual([where, true]);
          for (const entry of value as Record<string, string>[]) {
            if (field === 'emails') {
              expect([where, /^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(entry.address!), entry.type]).toEqual([where, true, expect.stringMatching(/^(work|home|other)$/)]);
            } else {
              expect([where, /^\+\d{1,3}( \d+)+$/.test(entry.number!), entry.type]).toEqual([where, true, expect.stringMatching(/^(office|mobile|home|fax|other)$/)]);
            }
          }
          continue;
        }
        const f = def.fields[field];
        expect([where, f !== undefined, f?.readonly]).toEqual([where, true, undefined]);
        const ok = ((): boolean => {
          switch (f!.type) {
            case 'enum': return picklists[f!.picklist as string]!.values.includes(value as string);
            case 'multienum': return (value as string[]).every((v) => picklists[f!.picklist as string]!.values.includes(v));
            case 'link': case 'parent': return isRef(value);
            case 'links': return Array.isArray(value) && value.every(isRef);
            case 'bool': return typeof value === 'boolean';
            case 'int': return Number.isInteger(value);
            case 'float': case 'currency': return typeof value === 'number' && Number.isFinite(value);
            case 'date': return DATE.test(value as string);
            case 'datetime': return DATETIME.test(value as string);
            case 'email': return /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(value as string);
            case 'url': return /^https?:\/\/[^\s]+$/.test(value as string);
            default: return typeof value === 'string' && value.length > 0
              && (f!.maxLength === undefined || value.length <= (f!.maxLength as number));
          }
        })();
        expect([where, value, ok]).toEqual([where, value, true]);
      }
    }
  });

  test('records look lived-in: dates, owners, names and relations are plausible', () => {
    const created = records.map((r) => r.data.created_at as string).sort();
    expect(created[0]! >= '2025-01-01 00:00:00').toBe(true);
    expect(created[created.length - 1]! <= '2026-10-31 23:59:59').toBe(true);
    const contacts = ofEntity('contact');
    expect(contacts.filter((c) => c.data.account_id).length).toBeGreaterThanOrEqual(160);
    for (const c of contacts.filter((x) => x.data.account_id)) {
      const account = byRef.get((c.data.account_id as { $ref: string }).$ref)!.record;
      const domain = (account.data.website as string).replace(/^https:\/\/www\./, '');
      expect((c.data.emails as { address: string }[])[0]!.address.endsWith(`@${domain}`)).toBe(true);
    }
    const addresses = records.flatMap((r) => ((r.data.emails as { address: string }[] | undefined) ?? []).map((e) => e.address));
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const r of records.filter((x) => ['contact', 'lead', 'user'].includes(x.entity))) expect(r.data.name).toBeUndefined();
    const opportunities = ofEntity('opportunity');
    const years = new Set(opportunities.map((o) => (o.data.close_date as string).slice(0, 4)));
    expect([...years].sort()).toEqual(['2025', '2026', '2027']);
    const stages = new Set(opportunities.map((o) => o.data.stage));
    expect(stages.has('Closed Won') && stages.has('Closed Lost') && stages.size >= 6).toBe(true);
    for (const o of opportunities) {
      const lines = ofEntity('opportunity_line').filter((l) => (l.data.opportunity_id as { $ref: string }).$ref === o.ref);
      expect([o.ref, lines.length >= 2 && lines.length <= 3]).toEqual([o.ref, true]);
      expect((o.data.created_at as string).slice(0, 10) < (o.data.close_date as string)).toBe(true);
    }
    expect(new Set(ofEntity('lead').map((l) => l.data.status)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(ofEntity('lead').map((l) => l.data.source)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(ofEntity('activity').map((a) => a.data.kind))).toEqual(new Set(['task', 'call', 'meeting', 'email', 'note']));
    for (const a of ofEntity('activity')) {
      expect(a.data.date_start! <= a.data.date_end!).toBe(true);
      expect(a.data.parent_type === byRef.get((a.data.parent_id as { $ref: string }).$ref)!.record.entity).toBe(true);
    }
    const owners = new Set(records.map((r) => (r.data.assigned_user_id as { $ref: string } | undefined)?.$ref).filter(Boolean));
    expect(owners.size).toBeGreaterThanOrEqual(4);
  });
});
