// Emails and phones: ordered lists (position 0 = primary) in one child table, seen through slots (mapping.md §0.3).
import type { EntityDef } from '../schema/types';
import type { EmailEntry, Patch, PhoneEntry, Rec } from '../types';
import type { Db } from './db';
import { CONTACT_POINT_TABLE } from './tables';

export interface ContactPointRow {
  record_id: number; kind: string; position: number; value: string; type: string | null; opt_out: unknown; invalid: unknown;
}

export interface ContactLists { emails: EmailEntry[]; phones: PhoneEntry[] }

const PHONE_SLOT_TYPE: Record<string, string> = {
  phone_office: 'office', phone_mobile: 'mobile', phone_home: 'home', phone_fax: 'fax', phone_other: 'other',
};
export const CONTACT_POINT_KEYS = ['emails', 'phones', 'email', 'email_2', 'email_opt_out', 'phone', ...Object.keys(PHONE_SLOT_TYPE)];

const flag = (v: unknown) => v === true || v === 1 || v === '1';

export function attachContactPoints(def: EntityDef, records: Rec[], rows: ContactPointRow[]): void {
  const byId = new Map<number, ContactLists>();
  for (const r of records) byId.set(r.id, { emails: [], phones: [] });
  for (const row of rows) {
    const lists = byId.get(Number(row.record_id));
    if (!lists) continue;
    if (row.kind === 'email') lists.emails.push({ address: row.value, type: row.type, opt_out: flag(row.opt_out), invalid: flag(row.invalid) });
    else lists.phones.push({ number: row.value, type: row.type, opt_out: flag(row.opt_out), invalid: flag(row.invalid) });
  }
  for (const r of records) Object.assign(r, slotsOf(def, byId.get(r.id)!));
}

/** The lists plus every slot they make. */
export function slotsOf(def: EntityDef, lists: ContactLists): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (def.emails) {
    out.emails = lists.emails;
    out.email = lists.emails[0]?.address ?? null;
    out.email_2 = lists.emails[1]?.address ?? null;
    out.email_opt_out = lists.emails[0] ? !!lists.emails[0].opt_out : false;
  }
  if (def.phones) {
    out.phones = lists.phones;
    out.phone = lists.phones[0]?.number ?? null;
    for (const [slot, type] of Object.entries(PHONE_SLOT_TYPE)) {
      out[slot] = lists.phones.find((p, i) => i > 0 && p.type === type)?.number ?? null;
    }
  }
  return out;
}

function clean(s: unknown): string | null {
  if (s === null || s === undefined) return null;
  const t = String(s).trim();
  return t === '' ? null : t;
}

/** Applies slot writes or whole lists from a patch to the current lists (a list given wins over its slots). */
export function applyContactPatch(def: EntityDef, current: ContactLists, patch: Patch): ContactLists {
  let emails = current.emails.map((e) => ({ ...e }));
  let phones = current.phones.map((p) => ({ ...p }));
  if (def.emails) {
    if (Array.isArray(patch.emails)) {
      emails = (patch.emails as EmailEntry[]).filter((e) => clean(e?.address)).map((e) => ({
        address: clean(e.address)!, type: e.type ?? null, opt_out: !!e.opt_out, invalid: !!e.invalid,
      }));
    } else {
      if ('email' in patch) setAt(emails, 0, clean(patch.email), (v) => ({ address: v, type: null, opt_out: false, invalid: false }), (e, v) => { e.address = v; });
      if ('email_2' in patch) setAt(emails, 1, clean(patch.email_2), (v) => ({ address: v, type: null, opt_out: false, invalid: false }), (e, v) => { e.address = v; });
      if ('email_opt_out' in patch && emails[0]) emails[0].opt_out = flag(patch.email_opt_out) || patch.email_opt_out === 'true';
    }
    emails = dedupe(emails, (e) => e.address.toLowerCase());
  }
  if (def.phones) {
    if (Array.isArray(patch.phones)) {
      phones = (patch.phones as PhoneEntry[]).filter((p) => clean(p?.number)).map((p) => ({
        number: clean(p.number)!, type: p.type ?? 'office', opt_out: !!p.opt_out, invalid: !!p.invalid,
      }));
    } else {
      if ('phone' in patch) setAt(phones, 0, clean(patch.phone), (v) => ({ number: v, type: 'office', opt_out: false, invalid: false }), (p, v) => { p.number = v; });
      for (const [slot, type] of Object.entries(PHONE_SLOT_TYPE)) {
        if (!(slot in patch)) continue;
        const v = clean(patch[slot]);
        const i = phones.findIndex((p, idx) => idx > 0 && p.type === type);
        if (i >= 0 && v === null) phones.splice(i, 1);
        else if (i >= 0) phones[i].number = v!;
        else if (v !== null) {
          // An empty list takes it as its primary; otherwise it is appended after the primary.
          phones.push({ number: v, type, opt_out: false, invalid: false });
        }
      }
    }
    phones = dedupe(phones, (p) => p.number);
  }
  return { emails, phones };
}

function setAt<T>(list: T[], index: number, v: string | null, make: (v: string) => T, set: (e: T, v: string) => void): void {
  if (v === null) { if (list[index]) list.splice(index, 1); return; }
  if (list[index]) set(list[index], v);
  else list.push(make(v));
}

function dedupe<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((e) => (seen.has(key(e)) ? false : (seen.add(key(e)), true)));
}

export async function writeContactPoints(db: Db, id: number, lists: ContactLists, def: EntityDef, fresh = false): Promise<void> {
  if (!fresh) await db.run(`DELETE FROM ${CONTACT_POINT_TABLE} WHERE record_id = ?`, [id]);
  const rows: unknown[][] = [];
  if (def.emails) lists.emails.forEach((e, i) => rows.push([id, 'email', i, e.address, e.address.toLowerCase(), e.type ?? null, !!e.opt_out, !!e.invalid]));
  if (def.phones) lists.phones.forEach((p, i) => rows.push([id, 'phone', i, p.number, p.number.toLowerCase(), p.type ?? null, !!p.opt_out, !!p.invalid]));
  for (const r of rows) {
    await db.run(`INSERT INTO ${CONTACT_POINT_TABLE} (record_id, kind, position, value, lower_value, type, opt_out, invalid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r);
  }
}

export function listsOf(rec: Rec | undefined): ContactLists {
  return { emails: (rec?.emails as EmailEntry[]) ?? [], phones: (rec?.phones as PhoneEntry[]) ?? [] };
}
