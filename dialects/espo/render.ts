// Core records -> EspoCRM attribute maps (espocrm.md §7): 17-hex ids, xId/xName, xIds/xNames/xColumns,
// parentId/parentType/parentName, emailAddressData/phoneNumberData, `deleted`. A render plan is compiled once per
// (entity, Espo type, selection) and reused, so a page of 200 records costs one pass of small closures each.
import type { Request, Response } from 'express';
import type { Registry } from '../../core/schema/registry';
import type { FieldDef } from '../../core/schema/types';
import type { EmailEntry, LinkColumns, PhoneEntry, Rec } from '../../core/types';
import { NotFoundError, ValidationError, isCoreError } from '../../core/errors';
import { MalformedJsonError, PayloadTooLargeError } from '../shared/http';
import { attributeNames, espoName, formatEspoId, phoneTypeToEspo, parentTypeToEspo, toAttribute } from './names';
import { EspoError, EspoValidationError } from './errors';
import { validationField } from './validation-field';
import { ALL_DAY_TYPES, renderAllDay } from './all-day';

export type Attributes = Record<string, unknown>;
type Step = (rec: Rec, out: Attributes) => void;

export interface RenderOptions {
  /** Activity kind when the record does not carry it (Task / Call / Meeting). */
  kind?: string;
  /** Canonical fields to render (a list `select`); undefined = every exposed field. */
  select?: readonly string[];
  /** A single-record read: links-many and contact-point lists are always rendered. */
  full?: boolean;
}

const hex = (v: unknown): string | null => (typeof v === 'number' ? formatEspoId(v) : null);
const names = (rec: Rec, field: string): unknown => rec.$names?.[field];

function hexIds(v: unknown): string[] {
  return Array.isArray(v) ? v.map((id) => formatEspoId(id as number)) : [];
}

function nameMap(v: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (v && typeof v === 'object') for (const [id, n] of Object.entries(v)) out[formatEspoId(Number(id))] = (n as string | null) ?? null;
  return out;
}

/**
 * A relation column the store left unset shows EspoCRM's column default: `isInactive` false, and an attendee's
 * `status` 'None' (the `additionalColumns.status.default` of Call/Meeting users, contacts, leads).
 */
const COLUMN_DEFAULTS: Record<string, unknown> = { is_inactive: false, status: 'None' };

function columnsOf(cols: Record<string, LinkColumns> | undefined, columnNames: string[]): Record<string, Attributes> {
  const out: Record<string, Attributes> = {};
  for (const [id, c] of Object.entries(cols ?? {})) {
    const row: Attributes = {};
    for (const name of columnNames) {
      const attr = name === 'is_inactive' ? 'isInactive' : name;
      row[attr] = (c as Record<string, unknown>)[name] ?? COLUMN_DEFAULTS[name] ?? null;
    }
    out[formatEspoId(Number(id))] = row;
  }
  return out;
}

function emailData(list: unknown): Attributes[] {
  return ((list as EmailEntry[] | undefined) ?? []).map((e, i) => ({
    emailAddress: e.address, lower: e.address.toLowerCase(), primary: i === 0, optOut: !!e.opt_out, invalid: !!e.invalid,
  }));
}

function phoneData(list: unknown): Attributes[] {
  return ((list as PhoneEntry[] | undefined) ?? []).map((p, i) => ({
    phoneNumber: p.number, type: phoneTypeToEspo(p.type ?? null), primary: i === 0, optOut: !!p.opt_out, invalid: !!p.invalid,
  }));
}

function stepFor(f: FieldDef, attr: string, full: boolean, explicit: boolean, isParentType: boolean): Step {
  const field = f.name;
  if (field === 'id') return (r, o) => { o.id = formatEspoId(r.id); };
  if (field === 'deleted_at') return (r, o) => { o.deleted = r.deleted_at !== null && r.deleted_at !== undefined; };
  // Attribute names are joined here, once: a key built inside a step is a new string on every record, and a
  // store under it costs a lookup each time (it was the largest item of a list render).
  const base = attr.replace(/Ids?$/, '');
  switch (f.type) {
    case 'link': case 'parent': {
      const nameAttr = base + 'Name';
      return (r, o) => { o[attr] = hex(r[field]); o[nameAttr] = names(r, field) ?? null; };
    }
    case 'links': {
      const cols = f.columns;
      const namesAttr = base + 'Names';
      const columnsAttr = base + 'Columns';
      return (r, o) => {
        if (!Array.isArray(r[field]) && !full && !explicit) return;
        o[attr] = hexIds(r[field]);
        o[namesAttr] = nameMap(names(r, field));
        if (cols?.length) o[columnsAttr] = columnsOf(r.$columns?.[field], cols);
      };
    }
    case 'bool': return (r, o) => { o[attr] = r[field] === true; };
    case 'multienum': return (r, o) => { o[attr] = Array.isArray(r[field]) ? r[field] : []; };
    default:
      if (isParentType) {
        return (r, o) => { o[attr] = parentTypeToEspo(r[field] as string | null); };
      }
      return (r, o) => { const v = r[field]; o[attr] = v === undefined ? null : v; };
  }
}

/** The extra attributes of contact points: the data lists, and the opt-out / invalid flags of the primary entry. */
function contactSteps(full: boolean, wanted: (f: string) => boolean, explicit: (f: string) => boolean,
  hasEmails: boolean, hasPhones: boolean): Step[] {
  const steps: Step[] = [];
  if (hasEmails && wanted('email')) {
    steps.push((r, o) => {
      const first = (r.emails as EmailEntry[] | undefined)?.[0];
      o.emailAddressIsOptedOut = first ? !!first.opt_out : r.email_opt_out === true;
      o.emailAddressIsInvalid = first ? !!first.invalid : false;
    });
  }
  if (hasEmails && (full || explicit('emails'))) steps.push((r, o) => { o.emailAddressData = emailData(r.emails); });
  if (hasPhones && wanted('phone')) {
    steps.push((r, o) => {
      const first = (r.phones as PhoneEntry[] | undefined)?.[0];
      o.phoneNumberIsOptedOut = first ? !!first.opt_out : false;
      o.phoneNumberIsInvalid = first ? !!first.invalid : false;
    });
  }
  if (hasPhones && (full || explicit('phones'))) steps.push((r, o) => { o.phoneNumberData = phoneData(r.phones); });
  return steps;
}

/** Attributes EspoCRM has that the canonical model keeps elsewhere or not at all. */
function entitySteps(entity: string, type: string, full: boolean, wanted: (f: string) => boolean, hasTeams: boolean): Step[] {
  const steps: Step[] = [];
  if (entity === 'email' && wanted('subject')) steps.push((r, o) => { o.subject = r.subject ?? null; });
  if (entity === 'note') steps.push((_r, o) => { o.type = 'Post'; });
  if (ALL_DAY_TYPES.has(type) && (full || wanted('date_start') || wanted('date_end'))) {
    const start = full || wanted('date_start');
    const end = full || wanted('date_end');
    steps.push((r, o) => renderAllDay(r, o, start, end));
  }
  if (full && !hasTeams && entity !== 'user') steps.push((_r, o) => { o.teamsIds = []; o.teamsNames = {}; });
  return steps;
}

interface Plan { revision: number; steps: Step[] }
const plans = new WeakMap<Registry, Map<string, Plan>>();

function planFor(registry: Registry, entity: string, kind: string | undefined, opts: RenderOptions): Step[] {
  let perRegistry = plans.get(registry);
  if (!perRegistry) plans.set(registry, (perRegistry = new Map()));
  const type = espoName(entity, kind);
  const key = `${entity}|${type}|${opts.full ? 1 : 0}|${opts.select ? opts.select.join(',') : '*'}`;
  const hit = perRegistry.get(key);
  if (hit && hit.revision === registry.revision) return hit.steps;
  const def = registry.entity(entity);
  const steps: Step[] = [];
  if (def) {
    const select = opts.select ? new Set(opts.select) : undefined;
    const wanted = (f: string) => !select || select.has(f);
    for (const [field, attr] of attributeNames(registry, entity, kind).fields) {
      const f = def.fields[field];
      if (!f || !wanted(field) || f.name === 'email_opt_out') continue;
      const parentType = field.endsWith('_type') && def.fields[field.replace(/_type$/, '_id')]?.type === 'parent';
      steps.push(stepFor(f, attr, !!opts.full, !!select?.has(field), parentType));
    }
    const explicit = (f: string) => !!select?.has(f);
    steps.push(...contactSteps(!!opts.full, wanted, explicit, !!def.emails, !!def.phones));
    steps.push(...entitySteps(entity, type, !!opts.full, wanted, !!def.fields.team_ids));
  }
  if (perRegistry.size > 500) perRegistry.clear();
  perRegistry.set(key, { revision: registry.revision, steps });
  return steps;
}

/** One record as EspoCRM shows it. */
export function renderRecord(registry: Registry, entity: string, rec: Rec, opts: RenderOptions = {}): Attributes {
  const kind = entity === 'activity' ? ((rec.kind as string | undefined) ?? opts.kind) : undefined;
  const out: Attributes = {};
  for (const step of planFor(registry, entity, kind, opts)) step(rec, out);
  return out;
}

/** A page of records of one entity (and one Espo type). */
export function renderList(registry: Registry, entity: string, recs: Rec[], opts: RenderOptions = {}): Attributes[] {
  if (entity === 'activity') return recs.map((r) => renderRecord(registry, entity, r, opts));
  const steps = planFor(registry, entity, undefined, opts);
  return recs.map((rec) => {
    const out: Attributes = {};
    for (const step of steps) step(rec, out);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Responses: success is always 200 with EspoCRM's cache headers; errors carry X-Status-Reason and (mostly) no body.

const CACHE_CONTROL = 'no-store, no-cache, must-revalidate, post-check=0, pre-check=0';
const APP_TIMESTAMP = String(Math.floor(Date.now() / 1000));
let stampSecond = 0;
let stampText = '';

function lastModified(): string {
  const s = Math.floor(Date.now() / 1000);
  if (s !== stampSecond) { stampSecond = s; stampText = new Date(s * 1000).toUTCString(); }
  return stampText;
}

/** 200 with a JSON body (res.json is avoided: it costs a lot on the hot path). */
export function send(res: Response, body: unknown): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', CACHE_CONTROL);
  res.setHeader('Expires', '0');
  res.setHeader('Last-Modified', lastModified());
  res.setHeader('X-App-Timestamp', APP_TIMESTAMP);
  res.end(JSON.stringify(body));
}

/** Outside printable ASCII / Latin-1 becomes a space, as EspoCRM does (and as a header value must be). */
function reasonText(s: string): string {
  return s.replace(/[^\x20-\x7e\xa0-\xff]/g, ' ').slice(0, 1000);
}

export function sendError(res: Response, status: number, reason: string, body?: unknown): void {
  res.statusCode = status;
  if (reason) res.setHeader('X-Status-Reason', reasonText(reason));
  if (body === undefined) { res.setHeader('Content-Length', '0'); res.end(); return; }
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

const RULE_TYPES: Record<string, string> = { email: 'emailAddress', type: 'valid', unknownField: 'valid' };

/** The first issue of a core ValidationError as EspoCRM's validationFailure. */
function fromValidation(registry: Registry, err: ValidationError, res: Response): EspoValidationError {
  const target = res.locals.espoTarget as { entity: string; kind?: string; type: string } | undefined;
  const kind = target?.entity === err.entity ? target.kind : undefined;
  const type = target?.entity === err.entity ? target.type : espoName(err.entity, kind);
  const issue = err.issues[0] ?? { field: 'id', rule: 'valid' };
  const field = issue.field === 'emails' ? 'emailAddress' : issue.field === 'phones' ? 'phoneNumber'
    : validationField(registry, err.entity, kind, toAttribute(registry, err.entity, issue.field, kind));
  return new EspoValidationError(type, field, RULE_TYPES[issue.rule] ?? issue.rule);
}

function statusOf(err: unknown, registry: Registry, res: Response): EspoError {
  if (err instanceof EspoError) return err;
  // EspoCRM itself has no 413 (its web server answers it before PHP runs): 413 is the gateway's choice.
  if (err instanceof PayloadTooLargeError) return new EspoError(413, err.message);
  if (err instanceof MalformedJsonError) return new EspoError(400, 'Body is not a JSON object.');
  if (err instanceof ValidationError) return fromValidation(registry, err, res);
  if (err instanceof NotFoundError) {
    const id = typeof err.id === 'number' ? formatEspoId(err.id) : undefined;
    return new EspoError(404, id ? `Record ${id} not found.` : '');
  }
  if (isCoreError(err)) {
    const status = { not_found: 404, validation: 400, conflict: 409, unauthorized: 401, forbidden: 403, bad_request: 400 }[err.kind];
    return new EspoError(status, status === 401 ? '' : err.message);
  }
  return new EspoError(500, 'error');
}

/** The dialect's error renderer: any error -> EspoCRM's shape; never a stack trace. */
export function errorRenderer(registry: Registry, fault?: (err: unknown, res: Response) => void) {
  return (err: unknown, _req: Request, res: Response): void => {
    const e = statusOf(err, registry, res);
    if (e.status >= 500) fault?.(err, res); // logged by the gateway, never sent
    sendError(res, e.status, e.reason, e.body);
  };
}
