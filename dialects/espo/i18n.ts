// GET /I18n (espocrm.md §1; no credentials needed): the labels EspoCRM clients translate with, in its shape
// `{<Scope>: {fields, links, options, labels, presetFilters}, Global: {scopeNames, scopeNamesPlural, ...}}`.
// Built from the registry, so it names exactly the scopes, fields, links and picklist values the API has: a label
// is the registry's own where it has one, else the Espo name spelled out (`emailAddress` -> `Email Address`).
import type { Request, Response } from 'express';
import type { Registry } from '../../core/schema/registry';
import type { DialectContext } from '../types';
import { espoLinks } from './names';
import { BOOL_FILTER_NAMES, primaryFilterNames } from './filters';
import { type EspoScope, espoFields, espoScopes, perRevision } from './scopes';
import { type Attributes, send } from './render';

type Labels = Record<string, string>;

/** `billingAddressPostalCode` -> `Billing Address Postal Code`, `phone2` -> `Phone 2`, `OpportunityLine` -> `Opportunity Line`. */
export function humanize(name: string): string {
  const words = name.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2').replace(/_/g, ' ');
  return words.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** English singular and plural titles: the entity's own, except for the activity types it is split into. */
function scopeTitles(registry: Registry, scope: EspoScope): { singular: string; plural: string } {
  const def = registry.entity(scope.entity)!;
  if (!scope.kind) return { singular: def.label, plural: def.plural };
  const singular = humanize(scope.type);
  return { singular, plural: `${singular}s` }; // Task, Call, Meeting
}

function scopeLabels(registry: Registry, scope: EspoScope, singular: string): Attributes {
  const fields: Labels = {};
  const options: Record<string, Labels> = {};
  for (const { name, def } of espoFields(registry, scope)) {
    fields[name] = def.label ?? humanize(name);
    const picklist = def.picklist ? registry.picklist(def.picklist) : undefined;
    // EspoCRM stores picklist values as they are and translates them for display: here a value is its own label.
    if (picklist) options[name] = Object.fromEntries(picklist.values.map((v) => [v, v]));
  }
  const links: Labels = {};
  for (const l of espoLinks(registry, scope.entity, scope.kind)) links[l.name] = humanize(l.name);
  const presetFilters: Labels = {};
  for (const f of primaryFilterNames(scope.type)) presetFilters[f] = humanize(f);
  return { fields, links, options, labels: { [`Create ${scope.type}`]: `Create ${singular}` }, presetFilters };
}

/** Labels every scope shares (EspoCRM's fallback for a scope that lacks one). */
function shared(perScope: Labels[]): Labels {
  const [first, ...rest] = perScope;
  return Object.fromEntries(Object.entries(first ?? {}).filter(([k]) => rest.every((l) => k in l)));
}

/** Month and day names from the runtime's own English locale data. */
function calendarLists(): Record<string, string[]> {
  const months = (month: 'long' | 'short') =>
    Array.from({ length: 12 }, (_, m) => new Intl.DateTimeFormat('en-US', { month, timeZone: 'UTC' }).format(Date.UTC(2001, m, 1)));
  // 2001-01-07 was a Sunday: EspoCRM's lists start on Sunday whatever weekStart says.
  const days = (weekday: 'long' | 'short') =>
    Array.from({ length: 7 }, (_, d) => new Intl.DateTimeFormat('en-US', { weekday, timeZone: 'UTC' }).format(Date.UTC(2001, 0, 7 + d)));
  return {
    monthNames: months('long'), monthNamesShort: months('short'),
    dayNames: days('long'), dayNamesShort: days('short'), dayNamesMin: days('short').map((d) => d.slice(0, 2)),
  };
}

export function buildI18n(registry: Registry): Attributes {
  const out: Attributes = {};
  const scopeNames: Labels = {};
  const scopeNamesPlural: Labels = {};
  for (const scope of espoScopes(registry)) {
    const { singular, plural } = scopeTitles(registry, scope);
    scopeNames[scope.type] = singular;
    scopeNamesPlural[scope.type] = plural;
    out[scope.type] = scopeLabels(registry, scope, singular);
  }
  const all = Object.values(out) as { fields: Labels; links: Labels }[];
  out.Global = {
    scopeNames, scopeNamesPlural,
    fields: shared(all.map((s) => s.fields)),
    links: shared(all.map((s) => s.links)),
    boolFilters: Object.fromEntries(BOOL_FILTER_NAMES.map((f) => [f, humanize(f)])),
    lists: calendarLists(),
  };
  return out;
}

const cachedI18n = perRevision(buildI18n);

/** `?default=true` asks for the system language instead of the user's: the gateway has one, en_US, for both. */
export async function i18n(ctx: DialectContext, _req: Request, res: Response): Promise<void> {
  send(res, cachedI18n(ctx.core.registry));
}
