// EspoCRM's named filters (espocrm.md §4.4): the quick text filter, primary filters and bool filters.
import type { Id, Where } from '../../core/types';
import { BadRequestError } from '../../core/errors';
import { dateTimeItem } from './dates';
import { espoName, toField } from './names';
import { FALSE, type WhereContext } from './where';

/** textFilterFields per Espo entity type (Attributes); others: `name`. */
const TEXT_FIELDS: Record<string, string[]> = {
  Account: ['name', 'emailAddress'],
  Contact: ['name', 'emailAddress'],
  Lead: ['name', 'accountName', 'emailAddress'],
  Case: ['name', 'number', 'description'],
  Email: ['name', 'bodyPlain', 'body'],
  User: ['name', 'userName', 'emailAddress'],
};

/**
 * The quick text filter: OR over the entity's text-filter fields of `LIKE 'term%'` (`'%term%'` on text fields for
 * terms of 4+ characters); `*` is a wildcard and turns the automatic `%` off; numbers match int fields exactly;
 * terms with spaces skip email fields. % and _ in the term stay wildcards (ESPO_SEMANTICS.rawLikePatterns).
 */
export function textFilterWhere(ctx: WhereContext, term: string): Where | undefined {
  if (term === '') return undefined;
  const { registry, entity, kind } = ctx;
  const type = espoName(entity, kind);
  const wildcard = term.includes('*');
  const pattern = term.replace(/\*/g, '%');
  const like = (field: string, text: boolean): Where =>
    wildcard ? { field, op: 'like', value: pattern }
      : { field, op: text && term.length >= 4 ? 'contains' : 'startsWith', value: term };
  const parts: Where[] = [];
  for (const attribute of TEXT_FIELDS[type] ?? ['name']) {
    const field = toField(registry, entity, attribute, kind);
    const def = field ? registry.field(entity, field) : undefined;
    if (!field || !def) continue;
    if (field === 'name' && registry.entity(entity)?.person) {
      parts.push(like('first_name', false), like('last_name', false), like('name', false));
    } else if (field === 'email') {
      if (term.includes(' ')) continue;
      const value = (wildcard ? pattern : term).toLowerCase();
      parts.push({ field: 'emails', op: wildcard ? 'like' : 'startsWith', value });
    } else if (def.type === 'int' || def.type === 'float') {
      if (/^\d+$/.test(term)) parts.push({ field, op: 'eq', value: Number(term) });
    } else {
      parts.push(like(field, def.type === 'text'));
    }
  }
  return parts.length ? { or: parts } : FALSE;
}

const NOT_ACTUAL: Record<string, string[]> = {
  Lead: ['Converted', 'Recycled', 'Dead'],
  Case: ['Closed', 'Rejected', 'Duplicate'],
  Task: ['Completed', 'Canceled', 'Deferred'],
};

type Filter = (ctx: WhereContext) => Where;
const is = (field: string, value: unknown): Filter => () => ({ field, op: 'eq', value });
const notIn = (field: string, value: string[]): Filter => () => ({ field, op: 'nin', value });
const todays: Filter = (ctx) => dateTimeItem('today', 'date_start', undefined, dateCtx(ctx));
const nowStamp = (ctx: WhereContext) => ctx.now.toISOString().slice(0, 19).replace('T', ' ');
const dateCtx = (ctx: WhereContext) => ({ now: ctx.now, timeZone: ctx.timeZone, fiscalYearShift: ctx.fiscalYearShift });

const PRIMARY: Record<string, Record<string, Filter>> = {
  Lead: { actual: notIn('status', NOT_ACTUAL.Lead), active: notIn('status', NOT_ACTUAL.Lead), converted: is('status', 'Converted') },
  Opportunity: { open: notIn('stage', ['Closed Won', 'Closed Lost']), won: is('stage', 'Closed Won'), lost: is('stage', 'Closed Lost') },
  Case: { open: notIn('status', NOT_ACTUAL.Case), closed: () => ({ field: 'status', op: 'in', value: NOT_ACTUAL.Case }) },
  Task: {
    actual: notIn('status', NOT_ACTUAL.Task),
    completed: is('status', 'Completed'),
    deferred: is('status', 'Deferred'),
    todays,
    overdue: (ctx) => ({ and: [{ field: 'date_end', op: 'lt', value: nowStamp(ctx) },
      { field: 'status', op: 'nin', value: NOT_ACTUAL.Task }] }),
    actualStartingNotInFuture: (ctx) => ({ and: [{ field: 'status', op: 'nin', value: NOT_ACTUAL.Task },
      { or: [{ field: 'date_start', op: 'isNull' }, { field: 'date_start', op: 'lte', value: nowStamp(ctx) }] }] }),
  },
  Account: {
    customers: is('type', 'Customer'), partners: is('type', 'Partner'), resellers: is('type', 'Reseller'),
    recentlyCreated: (ctx) => ({ field: 'created_at', op: 'gte',
      value: new Date(ctx.now.getTime() - 7 * 86400_000).toISOString().slice(0, 19).replace('T', ' ') }),
  },
  // The gateway has no portal users: every contact is a "not portal user".
  Contact: { portalUsers: () => FALSE, notPortalUsers: () => ({ and: [] }),
    accountActive: () => ({ or: [{ field: 'left_company', op: 'isNull' }, { field: 'left_company', op: 'eq', value: false }] }) },
  Call: { planned: is('status', 'Planned'), held: is('status', 'Held'), todays },
  Meeting: { planned: is('status', 'Planned'), held: is('status', 'Held'), todays },
  Document: { active: is('status', 'Active'), draft: is('status', 'Draft') },
};

/** Every entity's: the gateway keeps no follow or star state, so they match nothing. */
const GENERIC_PRIMARY: Record<string, Filter> = { followed: () => FALSE, starred: () => FALSE };

function own(filters: Record<string, Filter> | undefined, name: string): Filter | undefined {
  return filters && Object.prototype.hasOwnProperty.call(filters, name) ? filters[name] : undefined;
}

export function primaryFilterWhere(ctx: WhereContext, name: string): Where {
  const type = espoName(ctx.entity, ctx.kind);
  const filter = own(PRIMARY[type], name) ?? own(GENERIC_PRIMARY, name);
  if (!filter) {
    throw new BadRequestError(`No primary filter '${name}' for '${type}'.`, 'primaryFilter');
  }
  return filter(ctx);
}

/** primaryFilterNames: the primary filters an Espo entity type offers (for metadata). */
export function primaryFilterNames(type: string): string[] {
  return [...Object.keys(PRIMARY[type] ?? {}), ...Object.keys(GENERIC_PRIMARY)];
}

/** The bool filters every entity type accepts (for /I18n). */
export const BOOL_FILTER_NAMES: readonly string[] = ['onlyMy', 'followed', 'shared'];

/** Bool filters, OR-ed: `onlyMy` (assigned to me; Call/Meeting: or attending), `followed`, `shared`. */
export function boolFilterWhere(ctx: WhereContext, names: string[], userId?: Id): Where | undefined {
  if (names.length === 0) return undefined;
  const type = espoName(ctx.entity, ctx.kind);
  const parts = names.map((name): Where => {
    if (!BOOL_FILTER_NAMES.includes(name)) throw new BadRequestError(`No bool filter '${name}' for '${type}'.`, 'boolFilterList');
    if (name !== 'onlyMy') return FALSE; // followed, shared: the gateway keeps no such state
    if (userId === undefined) return FALSE;
    const mine: Where = { field: 'assigned_user_id', op: 'eq', value: userId };
    if (type !== 'Call' && type !== 'Meeting') return mine;
    return { or: [mine, { link: 'activity.attendee_user_ids', op: 'linkedWith', value: [userId] }] };
  });
  return parts.length === 1 ? parts[0] : { or: parts };
}
