// The shapes of the schema registry: what fixtures/schema/*.json declare and what the store, the
// validator and every dialect read. Canonical names are lower_snake everywhere.

export type FieldType =
  | 'string' | 'text' | 'email' | 'phone' | 'url'
  | 'int' | 'float' | 'currency' | 'bool'
  | 'date' | 'datetime'
  | 'enum' | 'multienum'
  | 'link'    // one target record: column `<name>` (named x_id) holds its id
  | 'links'   // many target records: rows of the shared link table, keyed by `<entity>.<field>`
  | 'parent'; // polymorphic link: column `<name>` holds the id, sibling `<name minus _id>_type` the entity

export interface FieldDef {
  name: string;              // canonical field name (filled by the loader from the key)
  type: FieldType;
  label?: string;
  required?: boolean;        // the core's own `R` rule (mapping.md §1); CRM-specific rules live in dialects
  readonly?: boolean;        // computed by the core, ignored on input (R5)
  default?: unknown;
  maxLength?: number;
  min?: number;
  max?: number;
  picklist?: string;         // enum / multienum: the picklist name
  entity?: string;           // link / links: the target entity; parent: not set
  parentTypes?: string[];    // parent: the entities the parent may be
  columns?: string[];        // links: relation columns kept per row (role, is_inactive, status)
  index?: boolean;           // lists filter or sort by it: the store indexes it
  custom?: boolean;          // created at run time
}

export interface EntityDef {
  name: string;              // canonical entity name, also the table name
  label: string;             // English singular title
  plural: string;            // English plural title (Corteza module name)
  person?: boolean;          // has first_name/last_name and a derived `name`
  emails?: boolean;          // keeps the `emails` contact-point list (slots email, email_2, email_opt_out)
  phones?: boolean;          // keeps the `phones` contact-point list (slots phone, phone_office, ...)
  numbered?: boolean;        // has the ro per-entity counter `number`
  fields: Record<string, FieldDef>;
  custom?: boolean;          // created at run time
}

export interface Picklist {
  name: string;
  values: string[];
  default?: string;
}

export const SYSTEM_FIELDS: Record<string, FieldDef> = {
  id: { name: 'id', type: 'int', readonly: true },
  created_at: { name: 'created_at', type: 'datetime', readonly: true, index: true },
  modified_at: { name: 'modified_at', type: 'datetime', readonly: true, index: true },
  deleted_at: { name: 'deleted_at', type: 'datetime', readonly: true },
  // Who created / changed a record is read, rarely filtered: no index (every index slows every write).
  created_by: { name: 'created_by', type: 'link', entity: 'user', readonly: true, index: false },
  modified_by: { name: 'modified_by', type: 'link', entity: 'user', readonly: true, index: false },
  assigned_user_id: { name: 'assigned_user_id', type: 'link', entity: 'user', index: true },
  // Optimistic locking (EspoCRM's versionNumber): 1 on insert, +1 in the same UPDATE as every write that changes the
  // record, so a client can tell whether the record it read is still the stored one.
  version_number: { name: 'version_number', type: 'int', readonly: true },
};
