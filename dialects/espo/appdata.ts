// App data (espocrm.md §1): `GET /App/user` (the acting user, and a token for Basic logins) and `GET /Metadata`
// (entity defs with picklist options, links and scopes; best effort, enough for clients that read options).
import type { Request, Response } from 'express';
import type { Registry } from '../../core/schema/registry';
import type { FieldDef } from '../../core/schema/types';
import { ctxOf } from '../shared/http';
import type { DialectContext } from '../types';
import { ACTIVITY_TYPES, NOT_IN_ESPO, attributeNames, espoLinks, espoName } from './names';
import { primaryFilterNames } from './filters';
import { type Attributes, renderRecord, send } from './render';
import { REQUIRED } from './input';

export async function appUser(ctx: DialectContext, _req: Request, res: Response): Promise<void> {
  const c = ctxOf(res);
  const user = await ctx.core.get('user', c.user.id, c);
  const out: Attributes = {
    user: { ...renderRecord(ctx.core.registry, 'user', user, { full: true }), isAdmin: c.user.is_admin },
    acl: { table: {} }, preferences: {}, settings: {}, appParams: {},
  };
  const auth = res.locals.espoAuth as { method?: string; secret?: string } | undefined;
  // A Basic login answers the secret it logged in with as the token for Espo-Authorization-By-Token.
  if (auth?.method === 'basic' && auth.secret) out.token = auth.secret;
  send(res, out);
}

const FIELD_TYPES: Record<string, string> = {
  string: 'varchar', text: 'text', email: 'email', phone: 'phone', url: 'url', int: 'int', float: 'float',
  currency: 'currency', bool: 'bool', date: 'date', datetime: 'datetime', enum: 'enum', multienum: 'multiEnum',
  link: 'link', links: 'linkMultiple', parent: 'linkParent',
};

function fieldDefs(registry: Registry, entity: string, kind: string | undefined, type: string): Record<string, Attributes> {
  const def = registry.entity(entity)!;
  const required = REQUIRED[type] ?? [];
  const out: Record<string, Attributes> = {};
  for (const [field, attribute] of attributeNames(registry, entity, kind).fields) {
    const f: FieldDef | undefined = def.fields[field];
    if (!f || field === 'id' || field === 'deleted_at') continue;
    if (field.endsWith('_type') && def.fields[field.replace(/_type$/, '_id')]?.type === 'parent') continue;
    const name = attribute.replace(/Ids?$/, '').replace(/^emailAddressData$|^phoneNumberData$/, '');
    if (!name) continue;
    const d: Attributes = { type: FIELD_TYPES[f.type] ?? 'varchar' };
    if (field === 'email') d.type = 'email';
    if (required.includes(attribute) || f.required) d.required = true;
    if (f.readonly) d.readOnly = true;
    if (f.maxLength) d.maxLength = f.maxLength;
    if (f.entity) d.entity = espoName(f.entity);
    if (f.picklist) {
      const p = registry.picklist(f.picklist);
      d.options = p ? (p.default ? [...p.values] : ['', ...p.values]) : [];
      if (p?.default) d.default = p.default;
    }
    out[name] = d;
  }
  return out;
}

function entityDefs(registry: Registry, entity: string, kind?: string): Attributes {
  const type = espoName(entity, kind);
  const links: Record<string, Attributes> = {};
  for (const l of espoLinks(registry, entity, kind)) links[l.name] = { type: l.type, ...(l.targetEspo && { entity: l.targetEspo }) };
  return { fields: fieldDefs(registry, entity, kind, type), links };
}

/** Every Espo entity type the registry offers, with its canonical entity and kind. */
function espoTypes(registry: Registry): [string, string, string | undefined][] {
  const out: [string, string, string | undefined][] = [];
  for (const entity of registry.entityNames()) {
    if (NOT_IN_ESPO.has(entity)) continue;
    if (entity === 'activity') for (const [type, kinds] of Object.entries(ACTIVITY_TYPES)) out.push([type, entity, kinds[0]]);
    else out.push([espoName(entity), entity, undefined]);
  }
  return out;
}

export async function metadata(ctx: DialectContext, _req: Request, res: Response): Promise<void> {
  const registry = ctx.core.registry;
  const defs: Record<string, Attributes> = {};
  const scopes: Record<string, Attributes> = {};
  const clientDefs: Record<string, Attributes> = {};
  for (const [type, entity, kind] of espoTypes(registry)) {
    defs[type] = entityDefs(registry, entity, kind);
    scopes[type] = { entity: true, object: true, tab: true, acl: true, countDisabled: entity === 'email' };
    clientDefs[type] = { filterList: primaryFilterNames(type) };
  }
  send(res, { entityDefs: defs, scopes, clientDefs });
}
