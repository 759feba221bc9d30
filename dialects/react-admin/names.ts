// react-admin resource and field names <-> canonical entities and fields (mapping.md §2 react-admin column, §3.1,
// §3.2; react-admin.md §5.3). Wire names are snake_case; camelCase is accepted on input (C20). Entities with no
// listed name follow the generic rule: the plural snake slug (`opportunity_lines`) for built-in entities, the
// entity name itself for run-time ones (a Corteza module `Support Tickets` is `support_tickets`), canonical fields.
import type { Registry } from '../../core/schema/registry';
import type { Patch, Where } from '../../core/types';
import type { Load, WireField } from './fields';
import {
  AUTOMATION_ENTITY, automationFields, type Build, companyFields, companyName, contactFields, dealFields, genericFields,
  noteFields, SETTINGS_ENTITY, tagFields, taskFields, userFields,
} from './resources';

export { AUTOMATION_ENTITY, SETTINGS_ENTITY };

export type ResourceKind = 'builtin' | 'summary' | 'users' | 'generic' | 'custom';

/** A read-only count of related rows (the summaries): `entity.field` = this record's id, plus `where`. */
export interface CountSpec { name: string; entity: string; field: string; where?: Where }

export interface Resource {
  name: string;                       // the wire slug
  entity: string;                     // the canonical entity
  kind: ResourceKind;
  fields: WireField[];                // render and write order
  byName: ReadonlyMap<string, WireField>;
  scope?: Where;                      // rows outside it are not this resource's (the note resources)
  createDefaults?: Patch;
  readOnly?: boolean;
  counts?: CountSpec[];
  companyNameSearch?: boolean;        // contacts_summary: q also matches the company name
  load: Load;
}

/** `firstName` -> `first_name`, `email2` -> `email_2`; snake_case passes through. */
export function snakeKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([a-zA-Z])(\d)/g, '$1_$2').toLowerCase();
}

export function fieldOf(res: Resource, key: string): WireField | undefined {
  return res.byName.get(key) ?? res.byName.get(snakeKey(key));
}

// ----- the resources ---------------------------------------------------------------------------------------

interface BuiltIn {
  entity: string; kind?: ResourceKind; build: Build; scope?: Where; createDefaults?: Patch; readOnly?: boolean;
  counts?: CountSpec[]; companyNameSearch?: boolean;
}

const noteScope = (t: string): Where => ({ field: 'parent_type', op: 'eq', value: t });

const BUILT_IN: Record<string, BuiltIn> = {
  contacts: { entity: 'contact', build: contactFields },
  companies: { entity: 'account', build: companyFields },
  deals: { entity: 'opportunity', build: dealFields },
  tasks: { entity: 'activity', build: taskFields },
  contact_notes: { entity: 'note', build: noteFields('contact_id', 'contact', 'status'), scope: noteScope('contact'), createDefaults: { parent_type: 'contact' } },
  deal_notes: { entity: 'note', build: noteFields('deal_id', 'opportunity', 'type'), scope: noteScope('opportunity'), createDefaults: { parent_type: 'opportunity' } },
  company_notes: { entity: 'note', build: noteFields('company_id', 'account', 'status'), scope: noteScope('account'), createDefaults: { parent_type: 'account' } },
  tags: { entity: 'tag', build: tagFields },
  crm_users: { entity: 'user', kind: 'users', build: userFields, readOnly: true },
  automation_rules: { entity: AUTOMATION_ENTITY, build: automationFields },
  companies_summary: {
    entity: 'account', kind: 'summary', build: companyFields, readOnly: true,
    counts: [
      { name: 'nb_deals', entity: 'opportunity', field: 'account_id' },
      { name: 'nb_contacts', entity: 'contact', field: 'account_id' },
    ],
  },
  contacts_summary: {
    entity: 'contact', kind: 'summary', build: (reg) => [...contactFields(reg), companyName], readOnly: true,
    counts: [{ name: 'nb_tasks', entity: 'activity', field: 'contact_id', where: { field: 'date_completed', op: 'isNull' } }],
    companyNameSearch: true,
  },
};

/** Slugs this dialect answers itself (besides the resources): never a custom object. */
export const RESERVED_SLUGS = new Set([...Object.keys(BUILT_IN), 'configuration', 'merge_contacts', 'object_config', 'v1', 'crm']);

/** Built-in entities with no react-admin resource (mapping.md §3.1 "—") or one under a listed name. */
const NOT_GENERIC = new Set(['account', 'contact', 'opportunity', 'activity', 'tag', 'user', 'opportunity_history',
  'team', 'document_folder', AUTOMATION_ENTITY, SETTINGS_ENTITY]);

export function pluralSlug(entity: string): string {
  if (/[^aeiou]y$/.test(entity)) return entity.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/.test(entity)) return entity + 'es';
  return entity + 's';
}

/** The slug of an entity served by the generic rule, or undefined if it has a listed name or none. */
export function genericSlug(registry: Registry, entity: string): string | undefined {
  const def = registry.entity(entity);
  if (!def || NOT_GENERIC.has(entity)) return undefined;
  const slug = def.custom ? entity : pluralSlug(entity);
  return RESERVED_SLUGS.has(slug) ? undefined : slug;
}

function assemble(name: string, entity: string, kind: ResourceKind, fields: (WireField | undefined)[], extra: Partial<Resource> = {}): Resource {
  const list = fields.filter((f): f is WireField => !!f);
  const byName = new Map<string, WireField>();
  for (const f of list) if (!byName.has(f.name)) byName.set(f.name, f);
  const load: Load = {};
  for (const f of list) {
    if (f.load?.contactPoints) load.contactPoints = true;
    if (f.load?.links) load.links = [...new Set([...(load.links ?? []), ...f.load.links])];
    if (f.load?.names) load.names = [...new Set([...(load.names ?? []), ...f.load.names])];
  }
  return { name, entity, kind, fields: list, byName, load, ...extra };
}

const cache = new WeakMap<Registry, { revision: number; resources: Map<string, Resource | null> }>();

/** The resource a URL slug names, or undefined (404 Unknown resource). */
export function resolveResource(registry: Registry, slug: string): Resource | undefined {
  let c = cache.get(registry);
  if (!c || c.revision !== registry.revision) { c = { revision: registry.revision, resources: new Map() }; cache.set(registry, c); }
  if (c.resources.has(slug)) return c.resources.get(slug) ?? undefined;
  const res = build(registry, slug);
  c.resources.set(slug, res ?? null);
  return res;
}

function build(registry: Registry, slug: string): Resource | undefined {
  const b = Object.prototype.hasOwnProperty.call(BUILT_IN, slug) ? BUILT_IN[slug] : undefined;
  if (b) {
    if (!registry.has(b.entity)) return undefined;
    return assemble(slug, b.entity, b.kind ?? 'builtin', b.build(registry), {
      scope: b.scope, createDefaults: b.createDefaults, readOnly: b.readOnly, counts: b.counts, companyNameSearch: b.companyNameSearch,
    });
  }
  if (RESERVED_SLUGS.has(slug)) return undefined;
  for (const entity of registry.entityNames()) {
    if (genericSlug(registry, entity) === slug) {
      return assemble(slug, entity, registry.entity(entity)!.custom ? 'custom' : 'generic', genericFields(registry, entity));
    }
  }
  return undefined;
}

/** The wire name of a canonical field in this resource (for error messages); the canonical name if none. */
export function wireNameOf(res: Resource, canonical: string): string {
  return res.fields.find((f) => f.canonical === canonical && !f.alias)?.name ?? canonical;
}

