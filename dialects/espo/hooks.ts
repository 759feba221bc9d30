// EspoCRM's save hooks that change what a create, update or relate writes (espocrm.md §8 "Side effects"), applied
// to the canonical patch at this edge: Modules/Crm/Hooks/Contact/Accounts.php and Hooks/Opportunity/Contacts.php.
// The core already keeps a contact's account_id among its account_ids (role = title) when account_id changes.
import type { Id, LinkColumns, Patch, Rec } from '../../core/types';

/**
 * The patch's hooks for a create (no `before`) or an update of one read record. Not for a mass update: its patch is
 * shared by records it has not read, and the hooks need each record's own links.
 */
export function applySaveHooks(entity: string, patch: Patch, before: Rec | undefined): void {
  if (entity === 'contact') {
    primaryAccount(patch, before);
    titleAndRole(patch, before);
  } else if (entity === 'opportunity') {
    primaryContact(patch, before);
  }
}

/** Accounts::setPrimary: a contact given accounts but no primary account takes the first one. */
function primaryAccount(patch: Patch, before: Rec | undefined): void {
  const ids = patch.account_ids;
  if (!Array.isArray(ids) || !ids.length) return;
  const current = 'account_id' in patch ? patch.account_id : before?.account_id;
  if (current === null || current === undefined) patch.account_id = ids[0] as Id;
}

/**
 * EspoCRM does not store a contact's `title`: it is the role on the primary account's row. So a new title is
 * written to that row (Accounts::afterSave), and a role changed through `accountsColumns`, or a primary account
 * moved to an account already related, changes the title.
 */
function titleAndRole(patch: Patch, before: Rec | undefined): void {
  const primary = ('account_id' in patch ? patch.account_id : before?.account_id) as Id | null | undefined;
  if (primary === null || primary === undefined) return;
  const key = String(primary);
  const linked = ((before?.account_ids as Id[] | undefined) ?? []).includes(primary)
    && (!Array.isArray(patch.account_ids) || patch.account_ids.includes(primary));
  const columns = patch.$columns as Record<string, Record<string, LinkColumns>> | undefined;
  if ('title' in patch) {
    // An account that becomes primary and is not related yet gets the title as its role from the core.
    if (!linked) return;
    const byTarget = ((patch.$columns ??= {}) as Record<string, Record<string, LinkColumns>>).account_ids ??= {};
    byTarget[key] = { ...byTarget[key], role: (patch.title as string | null) ?? null };
    return;
  }
  const sentRole = columns?.account_ids?.[key]?.role;
  if (sentRole !== undefined) { patch.title = sentRole === '' ? null : sentRole; return; }
  if ('account_id' in patch && linked) {
    const stored = (before?.$columns as Record<string, Record<string, LinkColumns>> | undefined)?.account_ids?.[key]?.role;
    if ((stored ?? null) !== ((before?.title as string | null | undefined) ?? null)) patch.title = stored ?? null;
  }
}

/**
 * Opportunity Contacts::afterSave: a primary contact is also related in `contacts`; clearing it unrelates the
 * previous one.
 */
function primaryContact(patch: Patch, before: Rec | undefined): void {
  if (!('contact_id' in patch)) return;
  const now = patch.contact_id as Id | null;
  const old = (before?.contact_id as Id | null | undefined) ?? null;
  const ids = Array.isArray(patch.contact_ids) ? (patch.contact_ids as Id[]) : ((before?.contact_ids as Id[] | undefined) ?? []);
  if (now === null) {
    if (old !== null && ids.includes(old)) patch.contact_ids = ids.filter((id) => id !== old);
  } else if (!ids.includes(now)) {
    patch.contact_ids = [...ids, now];
  }
}

/**
 * Accounts::afterRelate: an account related to a contact that has no primary account becomes its primary one
 * (the first of several). Only for `POST /Contact/{id}/accounts`: EspoCRM runs the hook on the entity related from,
 * and a mass relate runs afterMassRelate instead.
 */
export function afterRelatePatch(entity: string, link: string, rec: Rec, ids: Id[]): Patch | undefined {
  if (entity !== 'contact' || link !== 'accounts' || !ids.length) return undefined;
  return rec.account_id === null || rec.account_id === undefined ? { account_id: ids[0] } : undefined;
}
