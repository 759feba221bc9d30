// Database rows <-> canonical values, by field type.
import type { FieldDef } from '../schema/types';

export function decodeValue(f: FieldDef | undefined, v: unknown): unknown {
  if (v === null || v === undefined || !f) return v ?? null;
  switch (f.type) {
    case 'bool': return v === true || v === 1 || v === '1';
    case 'multienum':
      if (typeof v !== 'string') return v;
      try { const a = JSON.parse(v); return Array.isArray(a) ? a : [v]; } catch { return [v]; }
    case 'int': case 'float': case 'currency': case 'link': case 'parent':
      return typeof v === 'string' ? Number(v) : v;
    default: return v;
  }
}

export function encodeValue(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (f.type === 'multienum') return JSON.stringify(Array.isArray(v) ? v.map(String) : [String(v)]);
  return v;
}

let stampSecond = -1;
let stampText = '';

/** 'YYYY-MM-DD HH:MM:SS' in UTC, whole seconds. The current time's text is made once a second (every write stamps it). */
export function nowStamp(d?: Date): string {
  if (d) return d.toISOString().slice(0, 19).replace('T', ' ');
  const second = Math.floor(Date.now() / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stampText = new Date(second * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }
  return stampText;
}
