// Writing relation columns through `xColumns` (espocrm.md §7, §8): Contact `accountsColumns` {id: {role, isInactive}},
// Opportunity `contactsColumns` {id: {role}}, Call/Meeting `usersColumns`/`contactsColumns`/`leadsColumns` {id: {status}}.
// As EspoCRM's LinkMultipleSaver and LinkMultipleType::checkColumnsValid do: with `xIds` in the body, columns of ids not
// in it are ignored; without, the ids of `xColumns` are linked (nothing is unlinked); a column the link does not keep
// is ignored; a value of the wrong type fails `columnsValid` on the field (`accounts`).
import type { Registry } from '../../core/schema/registry';
import type { Id, LinkColumns, Patch, Rec } from '../../core/types';
import { attributeNames, parseEspoId } from './names';
import type { EspoTarget } from './target';

const COLUMN_NAMES: Record<string, keyof LinkColumns> = { role: 'role', isInactive: 'is_inactive', status: 'status' };

/** EspoCRM checks a column against the foreign entity's field: Contact.opportunityRole is an enum. */
const ROLE_OPTIONS: Record<string, string[]> = { 'opportunity.contact_ids': ['Decision Maker', 'Evaluator', 'Influencer'] };
/** Account.contactRole: varchar(100) with the noBadCharacters pattern. */
const ROLE_TEXT: Record<string, RegExp> = { 'contact.account_ids': /^[^<>=]{1,100}$/ };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validColumn(key: string, column: keyof LinkColumns, v: unknown, stored: unknown): boolean {
  if (v === stored) return true; // a stored value is accepted back (R1, C22)
  if (column === 'is_inactive') return typeof v === 'boolean';
  if (v === null || v === '') return true;
  if (typeof v !== 'string') return false;
  if (column === 'role' && ROLE_OPTIONS[key]) return ROLE_OPTIONS[key].includes(v);
  if (column === 'role' && ROLE_TEXT[key]) return ROLE_TEXT[key].test(v);
  return true;
}

/**
 * Adds the `xColumns` attributes of a body to the patch (`$columns`, and the ids a columns-only body links).
 * Returns the EspoCRM field of the first invalid one (`accounts`), or undefined.
 */
export function readLinkColumns(registry: Registry, target: EspoTarget, body: Record<string, unknown>,
  given: [string, unknown][], patch: Patch, before?: Rec): string | undefined {
  const def = registry.entity(target.entity)!;
  const names = attributeNames(registry, target.entity, target.kind);
  const columnsPatch: Record<string, Record<string, LinkColumns>> = {};
  for (const [attr, value] of given) {
    const link = attr.slice(0, -'Columns'.length);
    const field = names.attributes.get(`${link}Ids`);
    const f = field ? def.fields[field] : undefined;
    if (!field || !f?.columns?.length || value === null) continue;
    if (!isObject(value)) return link;
    const stored: Id[] = (before?.[field] as Id[] | undefined) ?? [];
    const listed = `${link}Ids` in body;
    const ids = listed ? (Array.isArray(patch[field]) ? patch[field] as Id[] : stored) : [...stored];
    const key = `${target.entity}.${field}`;
    for (const [rawId, item] of Object.entries(value)) {
      const id = parseEspoId(rawId);
      if (!isObject(item) || (id === undefined && !listed)) return link;
      if (id === undefined || (listed && !ids.includes(id))) continue;
      const cur = before?.$columns?.[field]?.[String(id)] ?? {};
      const cols: LinkColumns = {};
      for (const [name, v] of Object.entries(item)) {
        const column = COLUMN_NAMES[name];
        if (!column || !f.columns.includes(column)) continue;
        if (!validColumn(key, column, v, cur[column])) return link;
        if ((v === '' ? null : v) !== (cur[column] ?? (column === 'is_inactive' ? false : null))) {
          (cols as Record<string, unknown>)[column] = v;
        }
      }
      if (!ids.includes(id)) ids.push(id);
      if (Object.keys(cols).length) (columnsPatch[field] ??= {})[String(id)] = cols;
    }
    if (!listed && ids.length !== stored.length) patch[field] = ids;
  }
  if (Object.keys(columnsPatch).length) patch.$columns = columnsPatch;
  return undefined;
}
