// The field a validation failure names (espocrm.md §3): EspoCRM validates fields, not attributes, so a link's
// `assignedUserId` is reported as `assignedUser`, a link-multiple's `accountsIds` as `accounts`, a parent's
// `parentId` as `parent`, and a document's `fileId` as `file`.
import type { Registry } from '../../core/schema/registry';
import { attributeNames } from './names';

/** Attributes whose field is not their stem by type. */
const FIELD_OF: Record<string, string> = { fileId: 'file' };

export function validationField(registry: Registry, entity: string, kind: string | undefined, attribute: string): string {
  if (FIELD_OF[attribute]) return FIELD_OF[attribute];
  const field = attributeNames(registry, entity, kind).attributes.get(attribute);
  const type = field ? registry.field(entity, field)?.type : undefined;
  if (type === 'link' || type === 'parent') return attribute.replace(/Id$/, '');
  if (type === 'links') return attribute.replace(/Ids$/, '');
  return attribute;
}
