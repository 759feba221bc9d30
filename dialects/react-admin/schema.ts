// Custom objects a client defines through `POST /api/object_config` (react-admin.md §3.1 "custom objects by slug"):
// run-time entities of the core's registry (persisted, seen by every dialect at once).
import type { Registry } from '../../core/schema/registry';
import type { EntityDef, FieldDef, FieldType } from '../../core/schema/types';
import { SYSTEM_FIELDS } from '../../core/schema/types';
import { genericSlug, RESERVED_SLUGS, resolveResource } from './names';
import { validationFailed, WireError } from './render';

// ----- custom objects ------------------------------------------------------------------------------------

const FIELD_TYPES: FieldType[] = ['string', 'text', 'email', 'phone', 'url', 'int', 'float', 'currency', 'bool', 'date', 'datetime', 'link'];
const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const TAKEN_FIELDS = new Set([...Object.keys(SYSTEM_FIELDS), 'name', 'tag_ids', 'custom_fields', 'updated_at', 'crm_user_id', 'sales_id']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const title = (slug: string) => slug.split('_').filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

/** The custom objects: run-time entities other than this dialect's own two. */
export function customObjectNames(registry: Registry): string[] {
  return registry.entityNames().filter((e) => registry.entity(e)!.custom);
}

/** One field declaration `{name, type, required?, max_length?, reference?}` -> a field definition. */
export function readFieldDecl(registry: Registry, raw: unknown, where: string): FieldDef {
  if (!isObject(raw)) throw validationFailed({ [where]: 'Expected an object {name, type}' });
  const name = raw.name;
  if (typeof name !== 'string' || !NAME.test(name)) throw validationFailed({ [`${where}.name`]: 'Expected a lower_snake name' });
  if (TAKEN_FIELDS.has(name)) throw validationFailed({ [`${where}.name`]: `'${name}' is reserved` });
  const type = raw.type ?? 'string';
  if (typeof type !== 'string' || !FIELD_TYPES.includes(type as FieldType)) {
    throw validationFailed({ [`${where}.type`]: `Expected one of ${FIELD_TYPES.join(', ')}` });
  }
  const def: FieldDef = { name, type: type as FieldType, index: true };
  if (raw.required === true) def.required = true;
  const max = raw.max_length ?? raw.maxLength;
  if (max !== undefined) {
    if (!Number.isInteger(max) || (max as number) < 1) throw validationFailed({ [`${where}.max_length`]: 'Expected a positive integer' });
    def.maxLength = max as number;
  } else if (type === 'string') def.maxLength = 255;
  if (type === 'link') {
    const target = typeof raw.reference === 'string' ? resolveResource(registry, raw.reference) : undefined;
    if (!target) throw validationFailed({ [`${where}.reference`]: 'Expected a resource name' });
    def.entity = target.entity;
  }
  return def;
}

/** `POST /api/object_config` body -> the entity to define. */
export function readObjectConfig(registry: Registry, body: unknown): EntityDef {
  if (!isObject(body)) throw new WireError(400, 'Invalid JSON body', 'VALIDATION_FAILED');
  const slug = body.slug ?? body.name;
  if (typeof slug !== 'string' || !NAME.test(slug) || slug.length < 2) throw validationFailed({ slug: 'Expected a lower_snake slug' });
  if (RESERVED_SLUGS.has(slug) || registry.has(slug) || resolveResource(registry, slug)
    || registry.entityNames().some((e) => genericSlug(registry, e) === slug)) {
    throw new WireError(409, `Resource '${slug}' exists`, 'CONFLICT');
  }
  const rawFields = body.fields ?? [];
  const list = Array.isArray(rawFields) ? rawFields
    : isObject(rawFields) ? Object.entries(rawFields).map(([name, type]) => (isObject(type) ? { ...type, name } : { name, type }))
      : undefined;
  if (!list) throw validationFailed({ fields: 'Expected an array of {name, type}' });
  const fields: Record<string, FieldDef> = { name: { name: 'name', type: 'string', maxLength: 255, index: true } };
  list.forEach((raw, i) => {
    const f = readFieldDecl(registry, raw, `fields[${i}]`);
    if (fields[f.name]) throw validationFailed({ [`fields[${i}].name`]: `'${f.name}' is given twice` });
    fields[f.name] = f;
  });
  const str = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v.trim() : fallback);
  return {
    name: slug, label: str(body.singular_name ?? body.singularName, title(slug)),
    plural: str(body.plural_name ?? body.pluralName, title(slug)), fields, custom: true,
  };
}

/** A custom object's definition on the wire (`id` is the slug, as react-admin needs an id). */
export function renderObjectConfig(registry: Registry, entity: string, slug = genericSlug(registry, entity) ?? entity): Record<string, unknown> {
  const def = registry.entity(entity)!;
  const fields = Object.values(def.fields)
    .filter((f) => !SYSTEM_FIELDS[f.name] && f.name !== 'tag_ids')
    .map((f) => ({ name: f.name, type: f.type, required: !!f.required, ...(f.entity && { reference: f.entity }) }));
  return { id: slug, slug, entity, singular_name: def.label, plural_name: def.plural, fields };
}
