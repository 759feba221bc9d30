// Table and column names: one table per entity, plus the shared link, contact-point and bookkeeping tables.
import type { EntityDef, FieldDef } from '../schema/types';

export const LINK_TABLE = 'crm_link';
export const CONTACT_POINT_TABLE = 'crm_contact_point';
export const TOMBSTONE_TABLE = 'crm_tombstone';
export const COUNTER_TABLE = 'crm_counter';
export const API_KEY_TABLE = 'crm_api_key';
export const META_TABLE = 'crm_meta';
export const JOB_TABLE = 'crm_job';
export const SEQUENCE_TABLE = 'crm_id_sequence';
export const SEQUENCE_NAME = 'crm_id_seq';

export function tableOf(entity: string): string {
  return `crm_${entity}`;
}

/** Double-quoted identifier; names reach here only after a registry check, the quoting guards reserved words. */
export function q(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) throw new Error(`bad identifier ${name}`);
  return `"${name}"`;
}

/** The field a list shows as a record's display name, if the entity has one. */
export function titleField(def: EntityDef): string | undefined {
  for (const f of ['name', 'subject', 'user_name']) if (def.fields[f]) return f;
  return undefined;
}

const TEXT_TYPES = new Set(['string', 'text', 'email', 'phone', 'url', 'enum']);

export function isStringType(f: FieldDef): boolean {
  return TEXT_TYPES.has(f.type);
}
