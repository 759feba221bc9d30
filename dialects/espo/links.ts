// EspoCRM relationship names (espocrm.md §8, mapping.md §3.3) -> canonical relations `<owner>.<field>`.
// A link the entity declares (xId, xIds, parentId) is named after its attribute; links pointing at the entity are
// listed below for the native entities, and follow the generic rule (camelCase plural of the owner) for the rest.
import type { Registry } from '../../core/schema/registry';
import type { Id, Patch, Rec, Where } from '../../core/types';
import { ACTIVITY_TYPES, NOT_IN_ESPO, attributeNames, espoName, isExposed } from './names';

/** Espo's link types; relate / unrelate is allowed only through hasMany, manyMany and hasChildren (else 403). */
export type EspoLinkType = 'belongsTo' | 'hasMany' | 'manyMany' | 'hasChildren' | 'belongsToParent';

export interface EspoLink {
  name: string;            // the Espo link name (`contacts`, `account`, `callsPrimary`)
  type: EspoLinkType;
  /** The canonical relation `<owner>.<field>`; for hasChildren and belongsToParent the child's parent field. */
  key: string;
  /** Canonical entity of the records on the other side; undefined for belongsToParent (the parent type says). */
  target?: string;
  /** Espo entity type of the other side (`Call`); undefined for belongsToParent. */
  targetEspo?: string;
  /** When the other side is an activity type: the kinds it shows (Task: task, email, note). */
  targetKinds?: string[];
  /** belongsTo / belongsToParent: the entity's own field that holds the id (`account_id`, `parent_id`). */
  field?: string;
}

type Spec = [EspoLinkType, string, string?]; // type, key, Espo activity type of the other side

const children = (prefix = '', suffix = ''): Record<string, Spec> => ({
  [`${prefix}tasks`]: ['hasChildren', 'activity.parent_id', 'Task'],
  [`${prefix}calls${suffix}`]: ['hasChildren', 'activity.parent_id', 'Call'],
  [`${prefix}meetings${suffix}`]: ['hasChildren', 'activity.parent_id', 'Meeting'],
  emails: ['hasChildren', 'email.parent_id'],
});
const attendees = (field: string): Record<string, Spec> => ({
  calls: ['manyMany', `activity.${field}`, 'Call'],
  meetings: ['manyMany', `activity.${field}`, 'Meeting'],
});

/** Links pointing at the native entities (their own xId / xIds links are derived from the attributes). */
const INBOUND: Record<string, Record<string, Spec>> = {
  account: {
    contacts: ['manyMany', 'contact.account_ids'],
    contactsPrimary: ['hasMany', 'contact.account_id'],
    opportunities: ['hasMany', 'opportunity.account_id'],
    cases: ['hasMany', 'case.account_id'],
    documents: ['manyMany', 'document.account_ids'],
    ...children(),
    tasksPrimary: ['hasMany', 'activity.account_id', 'Task'],
    callsPrimary: ['hasMany', 'activity.account_id', 'Call'],
    meetingsPrimary: ['hasMany', 'activity.account_id', 'Meeting'],
  },
  contact: {
    opportunities: ['manyMany', 'opportunity.contact_ids'],
    opportunitiesPrimary: ['hasMany', 'opportunity.contact_id'],
    cases: ['manyMany', 'case.contact_ids'],
    casesPrimary: ['hasMany', 'case.contact_id'],
    ...attendees('attendee_contact_ids'),
    ...children('', 'Children'),
    tasksPrimary: ['hasMany', 'activity.contact_id', 'Task'],
    documents: ['manyMany', 'document.contact_ids'],
  },
  lead: {
    ...attendees('attendee_lead_ids'),
    ...children('', 'Children'),
    cases: ['hasMany', 'case.lead_id'],
    documents: ['manyMany', 'document.lead_ids'],
  },
  opportunity: { ...children(), documents: ['manyMany', 'document.opportunity_ids'] },
  case: { ...children() },
  user: { ...attendees('attendee_user_ids'), tasks: ['hasMany', 'activity.assigned_user_id', 'Task'] },
  document_folder: { documents: ['hasMany', 'document.folder_id'] },
};

/** `Opportunity Lines` -> `opportunityLines`. */
function pluralName(label: string): string {
  const words = label.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return joined.charAt(0).toLowerCase() + joined.slice(1);
}

function build(registry: Registry, entity: string, kind?: string): Map<string, EspoLink> {
  const out = new Map<string, EspoLink>();
  const def = registry.entity(entity);
  if (!def) return out;
  // Own fields: xId -> x (belongsTo), xIds -> x (manyMany), parentId -> parent (belongsToParent).
  for (const [field, attribute] of attributeNames(registry, entity, kind).fields) {
    const f = def.fields[field];
    if (!f) continue;
    if (f.type === 'link' && f.entity && attribute.endsWith('Id')) {
      out.set(attribute.slice(0, -2), { name: attribute.slice(0, -2), type: 'belongsTo', key: `${entity}.${field}`,
        target: f.entity, targetEspo: espoName(f.entity), field });
    } else if (f.type === 'links' && f.entity && attribute.endsWith('Ids')) {
      out.set(attribute.slice(0, -3), { name: attribute.slice(0, -3), type: 'manyMany', key: `${entity}.${field}`,
        target: f.entity, targetEspo: espoName(f.entity) });
    } else if (f.type === 'parent' && attribute.endsWith('Id')) {
      out.set(attribute.slice(0, -2), { name: attribute.slice(0, -2), type: 'belongsToParent', key: `${entity}.${field}`, field });
    }
  }
  // Native inbound links.
  for (const [name, [type, key, espoType]] of Object.entries(INBOUND[entity] ?? {})) {
    if (out.has(name)) continue;
    const [owner, field] = key.split('.');
    const f = registry.field(owner, field);
    if (!f) continue;
    if (type === 'hasChildren' ? !(f.type === 'parent' && (f.parentTypes ?? []).includes(entity)) : f.entity !== entity) continue;
    out.set(name, { name, type, key, target: owner, targetEspo: espoType ?? espoName(owner),
      targetKinds: espoType ? ACTIVITY_TYPES[espoType] : undefined });
  }
  // Generic inbound links: `<entity>_id` / `<entity>_ids` of another entity, named by that entity's plural.
  for (const ref of registry.linksOf(entity)) {
    if (!ref.inverse || ref.owner === 'activity' || ref.owner === entity) continue;
    if (ref.field.name !== `${entity}_id` && ref.field.name !== `${entity}_ids`) continue;
    const ownerDef = registry.entity(ref.owner);
    if (!ownerDef || NOT_IN_ESPO.has(ref.owner) || !isExposed(registry, ref.owner, ref.field.name)) continue;
    const name = pluralName(ownerDef.plural);
    if (out.has(name) || [...out.values()].some((l) => l.key === ref.key)) continue;
    out.set(name, { name, type: ref.field.type === 'links' ? 'manyMany' : 'hasMany', key: ref.key, target: ref.owner,
      targetEspo: espoName(ref.owner) });
  }
  return out;
}

const cache = new WeakMap<Registry, Map<string, { revision: number; links: Map<string, EspoLink> }>>();

function linksMap(registry: Registry, entity: string, kind?: string): Map<string, EspoLink> {
  let perRegistry = cache.get(registry);
  if (!perRegistry) cache.set(registry, (perRegistry = new Map()));
  const key = entity === 'activity' ? `activity:${espoName(entity, kind)}` : entity;
  const hit = perRegistry.get(key);
  if (hit && hit.revision === registry.revision) return hit.links;
  const links = build(registry, entity, kind);
  perRegistry.set(key, { revision: registry.revision, links });
  return links;
}

/** The Espo link `linkName` of an entity (activity: of the Espo type of `kind`), or undefined. Case-sensitive. */
export function espoLink(registry: Registry, entity: string, kind: string | undefined, linkName: string): EspoLink | undefined {
  return linksMap(registry, entity, kind).get(linkName);
}

/** Every Espo link name of an entity. */
export function espoLinkNames(registry: Registry, entity: string, kind?: string): string[] {
  return [...linksMap(registry, entity, kind).keys()];
}

/** Every Espo link of an entity. */
export function espoLinks(registry: Registry, entity: string, kind?: string): EspoLink[] {
  return [...linksMap(registry, entity, kind).values()];
}

/**
 * The where, on `link.target`, that selects the records related to record `id` of `entity` through `link`
 * (for `GET /{E}/{id}/{link}`). Undefined for belongsToParent: read the record's parent instead.
 */
export function relatedWhere(link: EspoLink, entity: string, id: Id): Where | undefined {
  if (link.type === 'belongsToParent' || !link.target) return undefined;
  const parts: Where[] = [];
  if (link.type === 'hasChildren') {
    const field = link.key.split('.')[1];
    parts.push({ field: field.replace(/_id$/, '_type'), op: 'eq', value: entity }, { field, op: 'eq', value: id });
  } else {
    parts.push({ link: link.key, op: 'linkedWith', value: [id] });
  }
  if (link.targetKinds) {
    parts.push({ field: 'kind', op: 'in', value: link.targetKinds });
  }
  return parts.length === 1 ? parts[0] : { and: parts };
}

/**
 * Whether an update's patch changes a link of the record: a belongsTo or parent id (or type), the ids of a links
 * field, or relation columns. EspoCRM then answers `X-Record-Link-Updated: true` (espocrm.md §6).
 */
export function changesLinks(registry: Registry, entity: string, before: Rec, patch: Patch): boolean {
  const def = registry.entity(entity);
  if (!def) return false;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$columns') return true; // only values that differ from the stored ones are sent on
    const f = def.fields[k];
    const isParentType = k.endsWith('_type') && def.fields[k.replace(/_type$/, '_id')]?.type === 'parent';
    if (f?.type === 'link' || f?.type === 'parent' || isParentType) {
      if ((v ?? null) !== (before[k] ?? null)) return true;
    } else if (f?.type === 'links') {
      const cur = (before[k] as Id[] | undefined) ?? [];
      const next = Array.isArray(v) ? (v as Id[]) : [];
      if (next.length !== cur.length || next.some((id) => !cur.includes(id))) return true;
    }
  }
  return false;
}
