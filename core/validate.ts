// ajv schemas compiled once per entity from the registry (and again when the registry changes).
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Registry } from './schema/registry';
import type { EntityDef, FieldDef } from './schema/types';
import { ValidationError, ValidationIssue } from './errors';

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function fieldSchema(f: FieldDef): Record<string, unknown> {
  const nullable = (s: Record<string, unknown>) => ({ anyOf: [s, { type: 'null' }] });
  switch (f.type) {
    case 'int': return nullable({ type: 'integer', ...(f.min !== undefined && { minimum: f.min }), ...(f.max !== undefined && { maximum: f.max }) });
    case 'float': case 'currency': return nullable({ type: 'number', ...(f.min !== undefined && { minimum: f.min }), ...(f.max !== undefined && { maximum: f.max }) });
    case 'bool': return nullable({ type: 'boolean' });
    case 'link': case 'parent': return nullable({ type: 'integer', minimum: 1 });
    case 'links': return nullable({ type: 'array', items: { type: 'integer', minimum: 1 } });
    case 'multienum': return nullable({ type: 'array', items: { type: 'string' } });
    case 'date': return nullable({ type: 'string', format: 'date' });
    case 'datetime': return nullable({ type: 'string', format: 'crm-datetime' });
    case 'email': return nullable({ type: 'string', format: 'crm-email', maxLength: f.maxLength ?? 255 });
    case 'text': return nullable({ type: 'string', ...(f.maxLength && { maxLength: f.maxLength }) });
    default: return nullable({ type: 'string', maxLength: f.maxLength ?? 65535 });
  }
}

function ruleOf(e: ErrorObject): string {
  if (e.keyword === 'format') return e.params.format === 'crm-email' ? 'email' : 'valid';
  if (e.keyword === 'maxLength') return 'maxLength';
  if (e.keyword === 'minimum') return 'min';
  if (e.keyword === 'maximum') return 'max';
  if (e.keyword === 'required') return 'required';
  return 'type';
}

export class Validator {
  private readonly ajv: Ajv;
  private cache = new Map<string, ValidateFunction>();
  private revision = -1;

  constructor(private readonly registry: Registry) {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv, ['date']);
    this.ajv.addFormat('crm-datetime', { type: 'string', validate: (s: string) => DATETIME.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T') + 'Z')) });
    this.ajv.addFormat('crm-email', { type: 'string', validate: (s: string) => /^[^\s@]+@[^\s@]+$/.test(s) });
  }

  private compiled(def: EntityDef): ValidateFunction {
    if (this.revision !== this.registry.revision) { this.cache = new Map(); this.revision = this.registry.revision; }
    let v = this.cache.get(def.name);
    if (!v) {
      const properties: Record<string, unknown> = {};
      for (const f of Object.values(def.fields)) properties[f.name] = fieldSchema(f);
      v = this.ajv.compile({ type: 'object', properties });
      this.cache.set(def.name, v);
    }
    return v;
  }

  private required = new Map<string, FieldDef[]>();
  private requiredRevision = -1;

  private requiredOf(def: EntityDef): FieldDef[] {
    if (this.requiredRevision !== this.registry.revision) { this.required = new Map(); this.requiredRevision = this.registry.revision; }
    let list = this.required.get(def.name);
    if (!list) this.required.set(def.name, (list = Object.values(def.fields).filter((f) => f.required)));
    return list;
  }

  /** Type rules for every value given, and the core `R` rules when creating (or when a required field is cleared). */
  check(def: EntityDef, values: Record<string, unknown>, creating: boolean): void {
    const issues: ValidationIssue[] = [];
    for (const f of this.requiredOf(def)) {
      const v = values[f.name];
      const missing = v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
      if (missing && (creating || f.name in values)) issues.push({ field: f.name, rule: 'required' });
    }
    const validate = this.compiled(def);
    if (!validate(values)) {
      for (const e of validate.errors ?? []) {
        const field = e.instancePath.split('/')[1];
        if (!field || issues.some((i) => i.field === field)) continue;
        if (e.keyword === 'anyOf' || e.keyword === 'type' && e.params.type === 'null') continue;
        issues.push({ field, rule: ruleOf(e), message: e.message });
      }
      if (!issues.length) issues.push({ field: (validate.errors?.[0]?.instancePath ?? '/?').split('/')[1], rule: 'type' });
    }
    if (issues.length) throw new ValidationError(def.name, issues);
  }
}
