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

/** 'YYYY-MM-DD HH:MM:SS' in UTC, whole seconds. */
export function nowStamp(d = new Date()): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
