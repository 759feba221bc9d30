// Optimistic locking (espocrm.md §3, §6): an update sent with `X-Version-Number: N` while the record is at another
// version answers 409 `modified` with the stored values of what it would change, and changes nothing. As in EspoCRM
// (Record/ConcurrencyControl/OptimisticProcessor), a stale request that changes nothing passes, and types without
// `versionNumber` ignore the header.
import type { Request } from 'express';
import type { Registry } from '../../core/schema/registry';
import type { Rec } from '../../core/types';
import { attributeNames, isExposed } from './names';
import { type Attributes, renderRecord } from './render';
import { EspoError } from './errors';
import { IGNORED, same } from './input';
import type { EspoTarget } from './target';

/** EspoCRM reads the header with PHP's intval: the leading number ('12abc' is 12), anything else 0. */
export function versionHeader(req: Request): number | undefined {
  const raw = req.headers['x-version-number'];
  if (raw === undefined) return undefined;
  const m = /^[ \t\n\r\v\f]*([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)/.exec(String(raw));
  const n = m ? Math.trunc(Number(m[1])) : 0;
  return Number.isFinite(n) ? n : 0;
}

export function isVersioned(registry: Registry, target: EspoTarget): boolean {
  return isExposed(registry, target.entity, 'version_number', target.kind);
}

/** Attributes written through other names than a field's own (lists, flags, relation columns, all-day dates). */
const EXTRA_INPUT = /Columns$|^date(Start|End)Date$|^(emailAddressIsInvalid|phoneNumberIsOptedOut|phoneNumberIsInvalid)$/;
/** What follows a field's stem in its attribute names: `accountId`/`accountName`, `amount`/`amountCurrency`, ... */
const SUFFIXES = ['', 'Id', 'Name', 'Ids', 'Names', 'Columns', 'Type', 'Currency', 'Date', 'Data', 'IsOptedOut', 'IsInvalid'];
const SUFFIX = /(Ids|Id|Columns|Type|Currency|Date|Data|IsOptedOut|IsInvalid)$/;

/** Every stored attribute of the field behind `attr` (EspoCRM answers with whole fields). */
function fieldAttributes(attr: string, stored: Attributes): string[] {
  const stem = attr.replace(SUFFIX, '');
  const out = stem ? SUFFIXES.map((s) => stem + s).filter((a) => a in stored) : [];
  return out.includes(attr) ? out : [attr, ...out];
}

/** Throws 409 when `sent` is not the stored version and the body would change a writable attribute. */
export function assertCurrentVersion(registry: Registry, target: EspoTarget, body: Record<string, unknown>, before: Rec,
  sent: number): void {
  const version = before.version_number as number;
  if (sent === version) return;
  const def = registry.entity(target.entity)!;
  const names = attributeNames(registry, target.entity, target.kind);
  const stored = renderRecord(registry, target.entity, before, { full: true, kind: target.kind });
  const writable = (attr: string): boolean => {
    const field = names.attributes.get(attr);
    if (!field) return EXTRA_INPUT.test(attr);
    const f = def.fields[field];
    return !f?.readonly || field === 'assigned_user_id' || (field === 'name' && !!def.person);
  };
  const values: Attributes = {};
  for (const [attr, value] of Object.entries(body)) {
    if (IGNORED.has(attr) || !(attr in stored) || !writable(attr) || same(stored[attr], value)) continue;
    for (const a of fieldAttributes(attr, stored)) values[a] = stored[a];
  }
  if (Object.keys(values).length) throw new EspoError(409, 'modified', { values, versionNumber: version });
}
