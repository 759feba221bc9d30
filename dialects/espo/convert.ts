// Lead conversion (espocrm.md §9, mapping.md C18): `POST /Lead/action/convert {id, records, skipDuplicateCheck}`,
// the legacy `POST /Lead/{id}/action/convert`, and `POST /Lead/action/getConvertAttributes {id}`.
// The payloads are prefilled from the lead, validated by EspoCRM's rules, checked for duplicates, then handed to
// the core's one convertLead command (one transaction).
import type { Request, Response } from 'express';
import type { Ctx, Patch, Rec } from '../../core/types';
import type { Registry } from '../../core/schema/registry';
import { ctxOf } from '../shared/http';
import type { DialectContext } from '../types';
import { formatEspoId } from './names';
import { type Attributes, renderRecord, send } from './render';
import { readAttributes } from './input';
import { findDuplicates } from './duplicates';
import { bodyOf, full, loadRecord } from './records';
import { targetOf } from './target';
import { EspoError, notFoundOnWrite } from './errors';

const TYPES = { Account: 'account', Contact: 'contact', Opportunity: 'opportunity' } as const;
type Type = keyof typeof TYPES;

const PERSON = ['salutation', 'first_name', 'middle_name', 'last_name', 'title', 'description', 'do_not_call',
  'address_street', 'address_city', 'address_state', 'address_postal_code', 'address_country', 'campaign_id'];

/** The lead's values for each new record (C18), canonical. */
function prefill(lead: Rec): Record<Type, Patch> {
  const points = { emails: lead.emails, email: lead.email, phones: lead.phones, phone: lead.phone };
  const contact: Patch = { ...points };
  for (const f of PERSON) contact[f] = lead[f];
  return {
    Account: {
      name: lead.account_name ?? lead.name, website: lead.website, industry: lead.industry, campaign_id: lead.campaign_id,
      billing_address_street: lead.address_street, billing_address_city: lead.address_city,
      billing_address_state: lead.address_state, billing_address_postal_code: lead.address_postal_code,
      billing_address_country: lead.address_country, ...points,
    },
    Contact: contact,
    Opportunity: {
      name: lead.account_name ?? lead.name, amount: lead.opportunity_amount, amount_currency: lead.opportunity_amount_currency,
      lead_source: lead.source, campaign_id: lead.campaign_id,
    },
  };
}

/** The prefilled values as EspoCRM attributes (what getConvertAttributes answers). */
function prefillAttributes(registry: Registry, lead: Rec): Record<Type, Attributes> {
  const out = {} as Record<Type, Attributes>;
  for (const [type, values] of Object.entries(prefill(lead)) as [Type, Patch][]) {
    const given = Object.keys(values).filter((k) => values[k] !== null && values[k] !== undefined);
    const rec = { id: 0, ...values } as Rec;
    out[type] = renderRecord(registry, TYPES[type], rec, { select: given });
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The payload over the prefill; a payload's own slot value beats the prefilled list. */
function merged(base: Attributes, payload: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  if ('emailAddress' in payload && !('emailAddressData' in payload)) delete out.emailAddressData;
  if ('phoneNumber' in payload && !('phoneNumberData' in payload)) delete out.phoneNumberData;
  return { ...out, ...payload };
}

async function runConvert(ctx: DialectContext, req: Request, res: Response, rawId: unknown): Promise<void> {
  const body = bodyOf(req);
  const c: Ctx = ctxOf(res);
  if (typeof rawId !== 'string' || !rawId || !isObject(body.records)) throw new EspoError(400);
  const registry = ctx.core.registry;
  const lead = await loadRecord(ctx.core, c, targetOf(registry, 'lead'), rawId, notFoundOnWrite);
  const base = prefillAttributes(registry, lead);
  const patches: Partial<Record<Type, Patch>> = {};
  for (const type of Object.keys(TYPES) as Type[]) {
    const payload = body.records[type];
    if (!isObject(payload)) continue;
    const target = targetOf(registry, TYPES[type]);
    res.locals.espoTarget = target;
    patches[type] = readAttributes(registry, target, merged(base[type], payload), { creating: true });
  }
  res.locals.espoTarget = targetOf(registry, 'lead');
  if (body.skipDuplicateCheck !== true && body.skipDuplicateCheck !== 'true') {
    const found: Attributes[] = [];
    for (const type of ['Account', 'Contact'] as const) {
      if (!patches[type]) continue;
      for (const r of await findDuplicates(ctx.core, c, TYPES[type], patches[type] as Patch)) {
        found.push({ id: formatEspoId(r.id), name: r.name ?? null, _entityType: type });
      }
    }
    if (found.length) throw new EspoError(409, 'duplicate', found);
  }
  // Without a new Account, the account the Contact names is the opportunity's (ConvertService::getSelectedAccount),
  // but EspoCRM records createdAccountId only for an account it created, so the core is not told to use it.
  const contactAccount = patches.Contact?.account_id;
  if (!patches.Account && typeof contactAccount === 'number' && patches.Opportunity) patches.Opportunity.account_id = contactAccount;
  const result = await ctx.core.convertLead(lead.id, {
    account: patches.Account ?? null, contact: patches.Contact ?? null, opportunity: patches.Opportunity ?? null,
  }, c);
  send(res, full(ctx, targetOf(registry, 'lead'), result.lead));
}

export const convert = (ctx: DialectContext, req: Request, res: Response) => runConvert(ctx, req, res, bodyOf(req).id);

/** Legacy `POST /Lead/{id}/action/convert`: the same body without `id`. */
export const convertById = (ctx: DialectContext, req: Request, res: Response) => runConvert(ctx, req, res, req.params.id);

export async function convertAttributes(ctx: DialectContext, req: Request, res: Response): Promise<void> {
  const id = bodyOf(req).id;
  if (typeof id !== 'string' || !id) throw new EspoError(400);
  const c = ctxOf(res);
  const lead = await loadRecord(ctx.core, c, targetOf(ctx.core.registry, 'lead'), id, notFoundOnWrite);
  send(res, prefillAttributes(ctx.core.registry, lead));
}
