// The schema registry: entities, fields and picklists, loaded from fixtures/ and extended at run time.
import type { EntityDef, FieldDef, Picklist } from './types';
import { SYSTEM_FIELDS } from './types';

export const PHONE_SLOTS = ['phone', 'phone_office', 'phone_mobile', 'phone_home', 'phone_fax', 'phone_other'] as const;

/** An inbound or outbound relation as seen from one entity. */
export interface LinkRef {
  key: string;            // `<owner entity>.<field>`
  owner: string;          // the entity that declares the field
  field: FieldDef;        // a link or links field
  target: string;         // the entity it points at
  inverse: boolean;       // true when seen from the target's side
}

export class Registry {
  private readonly entityMap = new Map<string, EntityDef>();
  private readonly picklistMap = new Map<string, Picklist>();
  private version = 0;
  private fieldLists = { revision: -1, byEntity: new Map<string, FieldDef[]>() };

  constructor(entities: EntityDef[] = [], picklists: Picklist[] = []) {
    for (const p of picklists) this.picklistMap.set(p.name, p);
    for (const e of entities) this.entityMap.set(e.name, withDerivedFields(e));
  }

  /** Bumped on every change, so compiled validators and statement caches know to rebuild. */
  get revision(): number { return this.version; }

  entityNames(): string[] { return [...this.entityMap.keys()]; }
  has(entity: string): boolean { return this.entityMap.has(entity); }
  entity(entity: string): EntityDef | undefined { return this.entityMap.get(entity); }
  field(entity: string, field: string): FieldDef | undefined { return this.entityMap.get(entity)?.fields[field]; }
  fields(entity: string): FieldDef[] {
    if (this.fieldLists.revision !== this.version) this.fieldLists = { revision: this.version, byEntity: new Map() };
    let list = this.fieldLists.byEntity.get(entity);
    if (!list) this.fieldLists.byEntity.set(entity, (list = Object.values(this.entityMap.get(entity)?.fields ?? {})));
    return list;
  }
  picklist(name: string): Picklist | undefined { return this.picklistMap.get(name); }
  picklists(): Picklist[] { return [...this.picklistMap.values()]; }

  addEntity(def: EntityDef): EntityDef {
    const full = withDerivedFields(def);
    this.entityMap.set(def.name, full);
    this.version++;
    return full;
  }

  addField(entity: string, def: FieldDef): void {
    const e = this.entityMap.get(entity);
    if (!e) throw new Error(`unknown entity ${entity}`);
    // A new fields object, not a change to the old one: caches keyed by `def.fields` see the change.
    const fields = { ...e.fields, [def.name]: def };
    if (def.type === 'parent') fields[parentTypeField(def.name)] = { name: parentTypeField(def.name), type: 'string', index: true };
    e.fields = fields;
    this.version++;
  }

  addPicklistValue(name: string, value: string): void {
    const p = this.picklistMap.get(name);
    if (!p) this.picklistMap.set(name, { name, values: [value] });
    else if (!p.values.includes(value)) p.values.push(value);
    this.version++;
  }

  /** Every link / links relation that touches `entity`, both the ones it declares and the ones pointing at it. */
  linksOf(entity: string): LinkRef[] {
    const out: LinkRef[] = [];
    for (const e of this.entityMap.values()) {
      for (const f of Object.values(e.fields)) {
        if ((f.type !== 'link' && f.type !== 'links') || !f.entity) continue;
        if (e.name === entity) out.push({ key: `${e.name}.${f.name}`, owner: e.name, field: f, target: f.entity, inverse: false });
        if (f.entity === entity) out.push({ key: `${e.name}.${f.name}`, owner: e.name, field: f, target: e.name, inverse: true });
      }
    }
    return out;
  }

  /**
   * Resolve `<owner>.<field>` as seen from `entity`; undefined if it does not touch `entity`.
   * A polymorphic parent field (`activity.parent_id`) resolves from any entity it may point at: its children.
   */
  resolveLink(entity: string, key: string): LinkRef | undefined {
    const [owner, fieldName] = key.split('.');
    const f = this.field(owner, fieldName);
    if (f?.type === 'parent') {
      if (owner === entity) return { key, owner, field: f, target: '*', inverse: false };
      if (this.has(entity) && (!f.parentTypes || f.parentTypes.includes(entity))) return { key, owner, field: f, target: owner, inverse: true };
      return undefined;
    }
    if (!f || (f.type !== 'link' && f.type !== 'links') || !f.entity) return undefined;
    if (owner === entity) return { key, owner, field: f, target: f.entity, inverse: false };
    if (f.entity === entity) return { key, owner, field: f, target: owner, inverse: true };
    return undefined;
  }
}

export function parentTypeField(parentField: string): string {
  return parentField.replace(/_id$/, '') + '_type';
}

/** Adds the system fields, the slot fields of contact points, a person's derived name and a parent's type. */
function withDerivedFields(def: EntityDef): EntityDef {
  const fields: Record<string, FieldDef> = {};
  for (const [k, f] of Object.entries(SYSTEM_FIELDS)) fields[k] = { ...f };
  if (def.name !== 'tag') fields.tag_ids = { name: 'tag_ids', type: 'links', entity: 'tag' };
  if (def.name !== 'tag' && def.name !== 'team') fields.team_ids = { name: 'team_ids', type: 'links', entity: 'team' };
  if (def.numbered) fields.number = { name: 'number', type: 'int', readonly: true, index: true };
  if (def.person) fields.name = { name: 'name', type: 'string', readonly: true, index: true };
  if (def.emails) {
    fields.email = { name: 'email', type: 'email', index: true };
    fields.email_2 = { name: 'email_2', type: 'email' };
    fields.email_opt_out = { name: 'email_opt_out', type: 'bool' };
  }
  if (def.phones) for (const s of PHONE_SLOTS) fields[s] = { name: s, type: 'phone', index: s === 'phone' };
  for (const [k, f] of Object.entries(def.fields)) {
    fields[k] = { ...f, name: k };
    if (f.type === 'parent') fields[parentTypeField(k)] = { name: parentTypeField(k), type: 'string', index: true };
  }
  return { ...def, fields };
}

/** Slot fields live in the contact-point lists; only `email` and `phone` (slot 0) are also columns. */
export function isSlotOnly(def: EntityDef, field: string): boolean {
  if (def.emails && (field === 'email_2' || field === 'email_opt_out')) return true;
  if (def.phones && field !== 'phone' && (PHONE_SLOTS as readonly string[]).includes(field)) return true;
  return false;
}

/** Fields that have a column in the entity's table. */
export function columnFields(def: EntityDef): FieldDef[] {
  return Object.values(def.fields).filter((f) => f.type !== 'links' && !isSlotOnly(def, f.name));
}
