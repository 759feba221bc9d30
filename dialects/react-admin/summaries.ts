// companies_summary / contacts_summary (react-admin.md §4.2, §5): the base list plus read-only counts.
// Each count is an SQL COUNT through core.count, one per record of the page (never a table read into memory).
// The core has no per-row count in one query yet (see the report: `Query.counts` as correlated sub-selects).
import type { CoreApi, Ctx, Id, Where } from '../../core/types';
import type { Resource } from './names';
import { SEMANTICS } from './query';

/** {record id: {nb_deals: n, ...}} for a page of records. */
export async function countsFor(core: CoreApi, ctx: Ctx, res: Resource, ids: Id[]): Promise<Map<Id, Record<string, number>>> {
  const out = new Map<Id, Record<string, number>>();
  if (!res.counts?.length || !ids.length) return out;
  const specs = res.counts.filter((c) => core.registry.has(c.entity));
  await Promise.all(ids.map(async (id) => {
    const row: Record<string, number> = {};
    for (const c of specs) {
      const where: Where = { and: [{ field: c.field, op: 'eq', value: id }, ...(c.where ? [c.where] : [])] };
      row[c.name] = await core.count(c.entity, where, ctx, SEMANTICS);
    }
    out.set(id, row);
  }));
  return out;
}

/** At most this many companies take part in a contacts_summary q over company names. */
export const COMPANY_SEARCH_LIMIT = 1000;

/** contacts_summary q also matches the company name: the ids of matching companies, as an extra alternative. */
export async function companyNameSearch(core: CoreApi, ctx: Ctx, text: string): Promise<Where | undefined> {
  const found = await core.find('account', {
    where: { field: 'name', op: 'contains', value: text }, select: ['id'], limit: COMPANY_SEARCH_LIMIT, semantics: SEMANTICS,
  }, ctx);
  const ids = found.records.map((r) => r.id);
  return ids.length ? { field: 'account_id', op: 'in', value: ids } : undefined;
}
