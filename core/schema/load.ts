// Loads the built-in schema from fixtures/schema and checks it; a broken file stops the start with its name and field.
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from './registry';
import type { EntityDef, FieldDef, FieldType, Picklist } from './types';

const TYPES: FieldType[] = ['string', 'text', 'email', 'phone', 'url', 'int', 'float', 'currency', 'bool', 'date',
  'datetime', 'enum', 'multienum', 'link', 'links', 'parent'];
const SNAKE = /^[a-z][a-z0-9_]*$/;

export class SchemaError extends Error {}

/** The repository root (where package.json is), from source or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

export function schemaDir(): string {
  return path.join(projectRoot(), 'fixtures', 'schema');
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SchemaError(`${file}: ${(e as Error).message}`);
  }
}

export function loadRegistry(dir = schemaDir()): Registry {
  const pickFile = path.join(dir, 'picklists.json');
  const rawPicks = readJson(pickFile) as Record<string, { values: string[]; default?: string }>;
  const picklists: Picklist[] = Object.entries(rawPicks).map(([name, p]) => {
    if (!Array.isArray(p.values)) throw new SchemaError(`${pickFile}: picklist '${name}' has no values list`);
    if (p.default !== undefined && !p.values.includes(p.default)) {
      throw new SchemaError(`${pickFile}: picklist '${name}' default '${p.default}' is not one of its values`);
    }
    return { name, values: p.values, default: p.default };
  });
  const entDir = path.join(dir, 'entities');
  const entities: EntityDef[] = fs.readdirSync(entDir).filter((f) => f.endsWith('.json')).sort().map((file) => {
    const name = file.replace(/\.json$/, '');
    const raw = readJson(path.join(entDir, file)) as Omit<EntityDef, 'name'>;
    const fields: Record<string, FieldDef> = {};
    for (const [k, f] of Object.entries(raw.fields ?? {})) fields[k] = { ...(f as FieldDef), name: k };
    return { ...raw, name, fields };
  });
  checkSchema(entities, picklists, entDir);
  return new Registry(entities, picklists);
}

/** Every rule a start relies on; throws naming the file and the field. */
export function checkSchema(entities: EntityDef[], picklists: Picklist[], where = 'schema'): void {
  const names = new Set(entities.map((e) => e.name));
  const picks = new Set(picklists.map((p) => p.name));
  for (const e of entities) {
    const at = (field?: string) => `${path.join(where, e.name + '.json')}${field ? `: field '${field}'` : ''}`;
    if (!SNAKE.test(e.name)) throw new SchemaError(`${at()}: entity name must be lower_snake`);
    if (!e.label || !e.plural) throw new SchemaError(`${at()}: label and plural are required`);
    for (const [k, f] of Object.entries(e.fields)) {
      if (!SNAKE.test(k)) throw new SchemaError(`${at(k)}: field names must be lower_snake`);
      if (!TYPES.includes(f.type)) throw new SchemaError(`${at(k)}: unknown type '${String(f.type)}'`);
      if ((f.type === 'enum' || f.type === 'multienum') && (!f.picklist || !picks.has(f.picklist))) {
        throw new SchemaError(`${at(k)}: picklist '${String(f.picklist)}' does not exist`);
      }
      if ((f.type === 'link' || f.type === 'links') && (!f.entity || !names.has(f.entity))) {
        throw new SchemaError(`${at(k)}: link target '${String(f.entity)}' does not exist`);
      }
      if (f.type === 'link' && !k.endsWith('_id')) throw new SchemaError(`${at(k)}: a link field's name ends in _id`);
      if (f.type === 'links' && !k.endsWith('_ids')) throw new SchemaError(`${at(k)}: a links field's name ends in _ids`);
      if (f.type === 'parent' && !k.endsWith('_id')) throw new SchemaError(`${at(k)}: a parent field's name ends in _id`);
    }
  }
}
