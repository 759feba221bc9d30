// companies_summary / contacts_summary (react-admin.md §4.2, §5): the base list plus read-only counts, all in
// the one list query: the counts are correlated sub-selects (Query.counts), so they are sortable too.
import type { Query, Where } from '../../core/types';
import type { Resource } from './names';

/** The core `counts` of a summary resource. */
export function countsOf(res: Resource): Query['counts'] | undefined {
  if (!res.counts?.length) return undefined;
  const out: NonNullable<Query['counts']> = {};
  for (const c of res.counts) out[c.name] = { link: `${c.entity}.${c.field}`, ...(c.where && { where: c.where }) };
  return out;
}

/** contacts_summary q also matches the company name: contacts whose account's name contains the text. */
export function companyNameSearch(text: string): Where {
  return { link: 'contact.account_id', op: 'linkedWhere', where: { field: 'name', op: 'contains', value: text } };
}
