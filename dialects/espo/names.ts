// EspoCRM entity and attribute names <-> canonical names (mapping.md §2, §3.1, §3.2), Espo ids and value maps.
// Native entities expose only the attributes EspoCRM has (an allow-list); generic entities and run-time (custom)
// fields follow the generic rule: PascalCase singular entity, camelCase attribute (`x_id` -> `xId`, `x_ids` -> `xIds`).
import type { Registry } from '../../core/schema/registry';
import type { EntityDef } from '../../core/schema/types';

export { changesLinks, espoLink, espoLinkNames, espoLinks, relatedWhere } from './links';
export type { EspoLink, EspoLinkType } from './links';

/** The Espo entity types of the activity entity, and the kinds each shows (mapping.md §4.3). */
export const ACTIVITY_TYPES: Record<string, string[]> = {
  Task: ['task', 'email', 'note'],
  Call: ['call'],
  Meeting: ['meeting'],
};

const ENTITY_NAMES: Record<string, string> = {
  account: 'Account', contact: 'Contact', lead: 'Lead', opportunity: 'Opportunity', case: 'Case',
  document: 'Document', campaign: 'Campaign', email: 'Email', user: 'User', team: 'Team',
  document_folder: 'DocumentFolder', note: 'Note',
};

/** Canonical entities with no EspoCRM counterpart (mapping.md §3.1 "—"). */
export const NOT_IN_ESPO: ReadonlySet<string> = new Set(['tag', 'opportunity_history']);

// ---------------------------------------------------------------------------------------------------------------
// Generic rule

export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function pascalCase(snake: string): string {
  const c = camelCase(snake);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------------------------
// Entities

/** The Espo entity type of a canonical entity; the activity entity needs its kind (task, email, note -> Task). */
export function espoName(entity: string, kind?: string): string {
  if (entity === 'activity') {
    for (const [type, kinds] of Object.entries(ACTIVITY_TYPES)) if (kind && kinds.includes(kind)) return type;
    return 'Task';
  }
  return ENTITY_NAMES[entity] ?? pascalCase(entity);
}

/**
 * The canonical entity behind an Espo entity type as it appears in a URL. Case-sensitive except the first letter
 * (Espo's router upper-cases it). For Task/Call/Meeting, `kind` is the kind a create gets (task, call, meeting);
 * `espoKinds` gives every kind the type lists.
 */
export function espoEntity(registry: Registry, name: string): { entity: string; kind?: string } | undefined {
  if (!name) return undefined;
  const type = upperFirst(name);
  if (ACTIVITY_TYPES[type]) return registry.has('activity') ? { entity: 'activity', kind: ACTIVITY_TYPES[type][0] } : undefined;
  const entity = entityTypes(registry).get(type);
  return entity ? { entity } : undefined;
}

const typeMaps = new WeakMap<Registry, { revision: number; map: Map<string, string> }>();

/** EspoCRM entity type -> canonical entity, built once per registry revision (this runs on every request). */
function entityTypes(registry: Registry): Map<string, string> {
  let c = typeMaps.get(registry);
  if (!c || c.revision !== registry.revision) {
    const map = new Map<string, string>();
    for (const entity of registry.entityNames()) {
      if (entity !== 'activity' && !NOT_IN_ESPO.has(entity) && !map.has(espoName(entity))) map.set(espoName(entity), entity);
    }
    c = { revision: registry.revision, map };
    typeMaps.set(registry, c);
  }
  return c.map;
}

/** The kinds an Espo type shows (Task: task, email, note), or undefined for a non-activity entity. */
export function espoKinds(entity: string, kind?: string): string[] | undefined {
  if (entity !== 'activity') return undefined;
  return ACTIVITY_TYPES[espoName(entity, kind)];
}

// ---------------------------------------------------------------------------------------------------------------
// Attributes

// Allow-lists of the native entities: `field` (generic camelCase) or `field=attribute`.
const COMMON = ['id', 'created_at', 'modified_at', 'created_by=createdById', 'modified_by=modifiedById',
  'assigned_user_id', 'deleted_at=deleted', 'team_ids=teamsIds'];
const EMAILS = ['email=emailAddress', 'email_opt_out=emailAddressIsOptedOut', 'emails=emailAddressData'];
const PHONES = ['phone=phoneNumber', 'phones=phoneNumberData'];
const ADDRESS = (p: string) => ['street', 'city', 'state', 'postal_code', 'country'].map((c) => `${p}_${c}`);
const PERSON = ['salutation=salutationName', 'first_name', 'middle_name', 'last_name', 'name'];
const ACTIVITY = ['name', 'description', 'status', 'date_start', 'date_end', 'parent_id', 'parent_type', 'account_id',
  'contact_id'];
const ATTENDEES = ['attendee_user_ids=usersIds', 'attendee_contact_ids=contactsIds', 'attendee_lead_ids=leadsIds'];
/** `versionNumber`: only where EspoCRM's metadata turns optimisticConcurrencyControl on (Account, Case, Opportunity,
 * Task); elsewhere EspoCRM neither shows it nor checks X-Version-Number. */
const VERSIONED = 'version_number';

const NATIVE: Record<string, string[]> = {
  account: ['name', 'website', 'type', 'industry', 'description', ...ADDRESS('billing_address'),
    ...ADDRESS('shipping_address'), 'sic_code', 'campaign_id', 'original_lead_id', VERSIONED],
  contact: [...PERSON, 'title', 'account_id', 'account_ids=accountsIds', 'left_company=accountIsInactive',
    'do_not_call', ...ADDRESS('address'), 'description', 'campaign_id', 'original_lead_id'],
  lead: [...PERSON, 'title', 'account_name', 'status', 'source', 'industry', 'website', 'do_not_call',
    ...ADDRESS('address'), 'opportunity_amount', 'opportunity_amount_currency', 'description', 'campaign_id',
    'converted_at', 'created_account_id', 'created_contact_id', 'created_opportunity_id'],
  opportunity: ['name', 'account_id', 'contact_id', 'contact_ids=contactsIds', 'amount', 'amount_currency', 'stage',
    'probability', 'close_date', 'lead_source', 'description', 'campaign_id', 'original_lead_id', 'last_stage',
    VERSIONED],
  case: ['name', 'number', 'status', 'priority', 'type', 'account_id', 'contact_id', 'contact_ids=contactsIds',
    'lead_id', 'description', 'is_internal', VERSIONED],
  document: ['name', 'file_id', 'file_name', 'status', 'description', 'folder_id', 'account_ids=accountsIds',
    'contact_ids=contactsIds', 'lead_ids=leadsIds', 'opportunity_ids=opportunitiesIds', 'type', 'publish_date',
    'expiration_date'],
  campaign: ['name', 'type', 'status', 'start_date', 'end_date', 'budget', 'budget_currency', 'description',
    'won_amount=revenue', 'won_amount_currency=revenueCurrency'],
  email: ['subject=name', 'from_address=from', 'to_addresses=to', 'cc_addresses=cc', 'bcc_addresses=bcc', 'body',
    'status', 'date_sent', 'parent_id', 'parent_type', 'reply_to', 'is_html', 'message_id', 'is_read'],
  user: ['user_name', 'first_name', 'middle_name', 'last_name', 'name', 'title', 'is_active', 'type'],
  team: ['name'],
  document_folder: ['name'],
  note: ['body=post', 'parent_id', 'parent_type'],
  'activity:Task': [...ACTIVITY, 'priority', 'date_completed', VERSIONED],
  'activity:Call': [...ACTIVITY, 'direction', 'duration', ...ATTENDEES],
  'activity:Meeting': [...ACTIVITY, 'all_day=isAllDay', 'duration', ...ATTENDEES],
};

/** Extra attribute names read on input (attribute -> field); the field renders under its main attribute. */
const ALIASES: Record<string, Record<string, string>> = { email: { subject: 'subject' } };

/** Canonical fields the generic rule never shows (a native allow-list above may). */
const HIDDEN = new Set(['tag_ids', 'kind', 'email_2', 'phone_office', 'phone_mobile', 'phone_home', 'phone_fax',
  'phone_other', VERSIONED]);

/** Both directions of one entity's attribute names. `fields` maps to the main attribute. */
export interface AttributeNames {
  attributes: ReadonlyMap<string, string>; // Espo attribute -> canonical field (pseudo fields `emails`, `phones` too)
  fields: ReadonlyMap<string, string>;     // canonical field -> Espo attribute (exposed fields only)
}

const cache = new WeakMap<Registry, Map<string, { revision: number; names: AttributeNames }>>();

function nativeKey(entity: string, kind?: string): string {
  return entity === 'activity' ? `activity:${espoName(entity, kind)}` : entity;
}

function parsePair(entry: string): [string, string] {
  const eq = entry.indexOf('=');
  return eq < 0 ? [entry, camelCase(entry)] : [entry.slice(0, eq), entry.slice(eq + 1)];
}

function buildNames(def: EntityDef, kind?: string): AttributeNames {
  const attributes = new Map<string, string>();
  const fields = new Map<string, string>();
  const add = (field: string, attribute: string) => {
    if (!fields.has(field)) fields.set(field, attribute);
    if (!attributes.has(attribute)) attributes.set(attribute, field);
  };
  const known = (f: string) => f in def.fields || (f === 'emails' && def.emails) || (f === 'phones' && def.phones);
  const entries = [...COMMON, ...(def.emails ? EMAILS : []), ...(def.phones ? PHONES : [])];
  const native = NATIVE[nativeKey(def.name, kind)];
  for (const entry of entries.concat(native ?? [])) {
    const [field, attribute] = parsePair(entry);
    if (known(field)) add(field, attribute);
  }
  for (const f of Object.values(def.fields)) {
    if (HIDDEN.has(f.name) || fields.has(f.name) || (native && !f.custom)) continue;
    add(f.name, camelCase(f.name));
  }
  for (const [attribute, field] of Object.entries(ALIASES[def.name] ?? {})) if (known(field)) attributes.set(attribute, field);
  return { attributes, fields };
}

/** Every Espo attribute of an entity (for the activity entity: of the Espo type its kind selects). */
export function attributeNames(registry: Registry, entity: string, kind?: string): AttributeNames {
  let perRegistry = cache.get(registry);
  if (!perRegistry) cache.set(registry, (perRegistry = new Map()));
  const key = nativeKey(entity, kind);
  const hit = perRegistry.get(key);
  if (hit && hit.revision === registry.revision) return hit.names;
  const def = registry.entity(entity);
  const names = def ? buildNames(def, kind) : { attributes: new Map(), fields: new Map() };
  perRegistry.set(key, { revision: registry.revision, names });
  return names;
}

/** Espo attribute -> canonical field; undefined when the entity has no such attribute. */
export function toField(registry: Registry, entity: string, attribute: string, kind?: string): string | undefined {
  return attributeNames(registry, entity, kind).attributes.get(attribute);
}

/** Canonical field -> Espo attribute (the generic rule for a field EspoCRM does not show; see `isExposed`). */
export function toAttribute(registry: Registry, entity: string, field: string, kind?: string): string {
  return attributeNames(registry, entity, kind).fields.get(field) ?? camelCase(field);
}

/** Whether EspoCRM shows this canonical field on this entity (and kind). */
export function isExposed(registry: Registry, entity: string, field: string, kind?: string): boolean {
  return attributeNames(registry, entity, kind).fields.has(field);
}

// ---------------------------------------------------------------------------------------------------------------
// Ids: the one global integer id as 17 lower-case hex characters (mapping.md §0.1)

export function formatEspoId(id: number): string {
  return id.toString(16).padStart(17, '0');
}

/** An Espo id string -> the canonical id; undefined when it is not hex (it then names no record). */
export function parseEspoId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{1,17}$/.test(value)) return undefined;
  const n = parseInt(value, 16);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Values: picklists are the identity in EspoCRM except the ones below (mapping.md §0.3, §4)

const PHONE_TYPES: Record<string, string> = { office: 'Office', mobile: 'Mobile', home: 'Home', fax: 'Fax', other: 'Other' };

/** Canonical phone type -> Espo (`office` -> `Office`); unknown values verbatim. */
export function phoneTypeToEspo(type: string | null | undefined): string | null {
  if (type == null) return null;
  return PHONE_TYPES[type] ?? type;
}

/** Espo phone type -> canonical (`Mobile` -> `mobile`, any case); unknown values verbatim. */
export function phoneTypeFromEspo(type: string | null | undefined): string | null {
  if (type == null || type === '') return null;
  const lower = type.toLowerCase();
  return PHONE_TYPES[lower] ? lower : type;
}

/** A parent type value: canonical entity -> Espo entity type (`account` -> `Account`). */
export function parentTypeToEspo(entity: string | null | undefined): string | null {
  return entity == null || entity === '' ? null : espoName(entity);
}

/** Espo entity type -> canonical entity for a parent type value; unknown types verbatim. */
export function parentTypeFromEspo(registry: Registry, type: string | null | undefined): string | null {
  if (type == null || type === '') return null;
  return espoEntity(registry, type)?.entity ?? type;
}

function isParentType(registry: Registry, entity: string, field: string): boolean {
  const f = registry.field(entity, field);
  if (!f || !field.endsWith('_type')) return false;
  return registry.field(entity, field.replace(/_type$/, '_id'))?.type === 'parent';
}

/** A canonical value of `field` in EspoCRM's form (picklists, parent types). Ids and dates are left to render. */
export function toEspoValue(registry: Registry, entity: string, field: string, value: unknown): unknown {
  if (typeof value === 'string' && isParentType(registry, entity, field)) return parentTypeToEspo(value);
  return value;
}

/** An Espo value of `field` in canonical form (the reverse of `toEspoValue`). */
export function fromEspoValue(registry: Registry, entity: string, field: string, value: unknown): unknown {
  if (typeof value === 'string' && isParentType(registry, entity, field)) return parentTypeFromEspo(registry, value);
  return value;
}
