// The EspoCRM scopes (entity types) the registry offers and the fields each shows: what /Metadata, /I18n and
// /Settings describe, so that the three agree with each other and with the records.
import type { Registry } from '../../core/schema/registry';
import type { FieldDef } from '../../core/schema/types';
import { ACTIVITY_TYPES, NOT_IN_ESPO, attributeNames, espoName } from './names';
import { FILE_FIELDS } from './validation-field';

export interface EspoScope {
  type: string;              // the Espo entity type (`Account`, `Call`)
  entity: string;            // the canonical entity
  kind?: string;             // for the activity types: the kind the type stands for
}

/** Every Espo entity type the registry offers, in registry order (the activity entity as Task, Call, Meeting). */
export function espoScopes(registry: Registry): EspoScope[] {
  const out: EspoScope[] = [];
  for (const entity of registry.entityNames()) {
    if (NOT_IN_ESPO.has(entity)) continue;
    if (entity === 'activity') for (const [type, kinds] of Object.entries(ACTIVITY_TYPES)) out.push({ type, entity, kind: kinds[0] });
    else out.push({ type: espoName(entity), entity });
  }
  return out;
}

export interface EspoField {
  name: string;              // the Espo field name: a link's attribute without its Id / Ids suffix (`account`, `teams`)
  attribute: string;         // the attribute it comes from (`accountId`)
  def: FieldDef;
  /** The Espo field type where the canonical type does not tell it (a document's `file`). */
  espoType?: string;
}

/**
 * The fields of a scope as EspoCRM names them: one per attribute, link attributes named after the link, without the
 * id, the deletion stamp, a parent's type attribute and the contact-point data lists. A file's `xId` and `xName`
 * are one field `x` of type file (Document `file`); another attribute ending in Id is a field of its own
 * (Email `messageId`).
 */
export function espoFields(registry: Registry, scope: EspoScope): EspoField[] {
  const def = registry.entity(scope.entity)!;
  const out: EspoField[] = [];
  for (const [field, attribute] of attributeNames(registry, scope.entity, scope.kind).fields) {
    const f: FieldDef | undefined = def.fields[field];
    if (!f || field === 'id' || field === 'deleted_at') continue;
    if (field.endsWith('_type') && def.fields[field.replace(/_type$/, '_id')]?.type === 'parent') continue;
    const file = FILE_FIELDS[attribute];
    if (Object.values(FILE_FIELDS).some((x) => attribute === `${x}Name`)) continue;
    if (file) { out.push({ name: file, attribute, def: f, espoType: 'file' }); continue; }
    const isLink = f.type === 'link' || f.type === 'links' || f.type === 'parent';
    const name = (isLink ? attribute.replace(/Ids?$/, '') : attribute).replace(/^emailAddressData$|^phoneNumberData$/, '');
    if (name) out.push({ name, attribute, def: f });
  }
  return out;
}

/** `build` once per registry revision: what is derived from the schema changes only when a run-time entity or field is added. */
export function perRevision<T>(build: (registry: Registry) => T): (registry: Registry) => T {
  const cache = new WeakMap<Registry, { revision: number; value: T }>();
  return (registry) => {
    const hit = cache.get(registry);
    if (hit && hit.revision === registry.revision) return hit.value;
    const value = build(registry);
    cache.set(registry, { revision: registry.revision, value });
    return value;
  };
}
