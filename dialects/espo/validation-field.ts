// The field a validation failure names (espocrm.md §3): EspoCRM validates fields, not attributes, so a link's
// `assignedUserId` is reported as `assignedUser`, a link-multiple's `accountsIds` as `accounts`, a parent's
// `parentId` as `parent`, and a document's `fileId` as `file`.
import type { Registry } from '../../core/schema/registry';
import { attributeNames } from './names';

/** The attributes of file fields (`xId` + `xName`, no link in the core): the id attribute -> the field. */
export const FILE_FIELDS: Record<string, string> = { fileId: 'file' };

export function validationField(registry: Registry, entity: string, kind: string | undefined, attribute: string): string {
  if (FILE_FIELDS[attribute]) return FILE_FIELDS[attribute];
  const field = attributeNames(registry, entity, kind).attributes.get(attribute);
  const type = field ? registry.field(entity, field)?.type : undefined;
  if (type === 'link' || type === 'parent') return attribute.replace(/Id$/, '');
  if (type === 'links') return attribute.replace(/Ids$/, '');
  return attribute;
}
