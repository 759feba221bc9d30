// EspoCRM's contact-point attributes on input (mapping.md §0.3): emailAddressData / phoneNumberData -> the canonical
// lists, and the opt-out / invalid flags of the primary entry.
import type { EmailEntry, Patch, PhoneEntry, Rec } from '../../core/types';
import { phoneTypeFromEspo } from './names';

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** emailAddressData / phoneNumberData -> the canonical lists (the `primary` entry first). */
export function emailList(v: unknown): EmailEntry[] | string {
  if (!Array.isArray(v)) return 'valid';
  const out: EmailEntry[] = [];
  for (const e of v as Record<string, unknown>[]) {
    const address = typeof e?.emailAddress === 'string' ? e.emailAddress.trim() : '';
    if (!address) continue;
    if (!EMAIL.test(address)) return 'emailAddress';
    const entry = { address, type: null, opt_out: e.optOut === true, invalid: e.invalid === true };
    if (e.primary === true) out.unshift(entry); else out.push(entry);
  }
  return out;
}

export function phoneList(v: unknown, defaultType: string): PhoneEntry[] | string {
  if (!Array.isArray(v)) return 'valid';
  const out: PhoneEntry[] = [];
  for (const p of v as Record<string, unknown>[]) {
    const number = typeof p?.phoneNumber === 'string' ? p.phoneNumber.trim() : '';
    if (!number) continue;
    const entry = { number, type: phoneTypeFromEspo(typeof p.type === 'string' ? p.type : null) ?? defaultType,
      opt_out: p.optOut === true, invalid: p.invalid === true };
    if (p.primary === true) out.unshift(entry); else out.push(entry);
  }
  return out;
}

export const FLAGS: Record<string, ['emails' | 'phones', 'opt_out' | 'invalid']> = {
  emailAddressIsInvalid: ['emails', 'invalid'], phoneNumberIsOptedOut: ['phones', 'opt_out'],
  phoneNumberIsInvalid: ['phones', 'invalid'],
};

/** Flags of the primary entry without a list in the body: start from the stored list (plus a new slot-0 value). */
export function applyFlags(patch: Patch, before: Rec | undefined, flags: [string, string, boolean][], phoneType: string): void {
  for (const [list, flag, value] of flags) {
    if (!Array.isArray(patch[list])) {
      const slot = list === 'emails' ? 'email' : 'phone';
      const cur = ((before?.[list] as Record<string, unknown>[] | undefined) ?? []).map((e) => ({ ...e }));
      if (slot in patch) {
        const v = patch[slot] as string | null;
        if (v === null) cur.shift();
        else if (cur[0]) cur[0][list === 'emails' ? 'address' : 'number'] = v;
        else cur.push(list === 'emails' ? { address: v } : { number: v, type: phoneType });
        delete patch[slot];
      }
      patch[list] = cur;
    }
    const first = (patch[list] as Record<string, unknown>[])[0];
    if (first) first[flag] = value;
  }
}
