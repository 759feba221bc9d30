// App data (espocrm.md §1): `GET /App/user` (the acting user, and a token for Basic logins) and `GET /Metadata`
// (entity defs with picklist options, links and scopes; best effort, enough for clients that read options).
import type { Request, Response } from 'express';
import type { Registry } from '../../core/schema/registry';
import { ctxOf } from '../shared/http';
import type { DialectContext } from '../types';
import { espoLinks, espoName } from './names';
import { type EspoScope, espoFields, espoScopes } from './scopes';
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

function fieldDefs(registry: Registry, scope: EspoScope): Record<string, Attributes> {
  const required = REQUIRED[scope.type] ?? [];
  const out: Record<string, Attributes> = {};
  for (const { name, attribute, def: f, espoType } of espoFields(registry, scope)) {
    const d: Attributes = { type: espoType ?? FIELD_TYPES[f.type] ?? 'varchar' };
    if (f.name === 'email') d.type = 'email';
    if (required.includes(attribute) || f.required) d.required = true;
    if (f.readonly) d.readOnly = true;
    if (f.maxLength && !espoType) d.maxLength = f.maxLength;
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

function entityDefs(registry: Registry, scope: EspoScope): Attributes {
  const links: Record<string, Attributes> = {};
  for (const l of espoLinks(registry, scope.entity, scope.kind)) links[l.name] = { type: l.type, ...(l.targetEspo && { entity: l.targetEspo }) };
  return { fields: fieldDefs(registry, scope), links };
}

export async function metadata(ctx: DialectContext, _req: Request, res: Response): Promise<void> {
  const registry = ctx.core.registry;
  const defs: Record<string, Attributes> = {};
  const scopes: Record<string, Attributes> = {};
  const clientDefs: Record<string, Attributes> = {};
  for (const scope of espoScopes(registry)) {
    defs[scope.type] = entityDefs(registry, scope);
    scopes[scope.type] = { entity: true, object: true, tab: true, acl: true, countDisabled: scope.entity === 'email' };
    clientDefs[scope.type] = { filterList: primaryFilterNames(scope.type) };
  }
  send(res, { entityDefs: defs, scopes, clientDefs });
}
