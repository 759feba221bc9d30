// Creates and extends the schema: a table per entity with typed columns and indexes, plus the shared tables.
import type { Knex } from 'knex';
import type { Db } from './db';
import type { Registry } from '../schema/registry';
import { columnFields } from '../schema/registry';
import type { EntityDef, FieldDef } from '../schema/types';
import {
  API_KEY_TABLE, CONTACT_POINT_TABLE, COUNTER_TABLE, JOB_TABLE, LINK_TABLE, META_TABLE, SEQUENCE_NAME, SEQUENCE_TABLE,
  TOMBSTONE_TABLE, isStringType, tableOf,
} from './tables';

async function exec(db: Db, builder: Knex.SchemaBuilder): Promise<void> {
  for (const s of builder.toSQL() as unknown as { sql: string; bindings: unknown[] }[]) await db.run(s.sql, s.bindings);
}

async function tableColumns(db: Db, table: string): Promise<Set<string>> {
  const rows = db.kind === 'sqlite'
    ? await db.all<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table])
    : await db.all<{ name: string }>(
      'SELECT column_name AS name FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema()', [table]);
  return new Set(rows.map((r) => r.name));
}

function addColumn(t: Knex.CreateTableBuilder, f: FieldDef): void {
  // Added to an older table, the default gives every existing record its first version.
  if (f.name === 'version_number') { t.bigInteger(f.name).notNullable().defaultTo(1); return; }
  switch (f.type) {
    case 'int': t.bigInteger(f.name); break;
    case 'float': case 'currency': t.double(f.name); break;
    case 'bool': t.boolean(f.name); break;
    case 'link': case 'parent': t.bigInteger(f.name); break;
    default: t.text(f.name);
  }
}

async function createIfMissing(db: Db, table: string, build: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  if ((await tableColumns(db, table)).size === 0) await exec(db, db.builder.schema.createTable(table, build));
}

/** Adds the columns a table made by an older version lacks (an existing database file is upgraded in place). */
async function addMissingColumns(db: Db, table: string, columns: Record<string, (t: Knex.AlterTableBuilder) => void>): Promise<void> {
  const existing = await tableColumns(db, table);
  const missing = Object.entries(columns).filter(([name]) => !existing.has(name));
  if (missing.length) await exec(db, db.builder.schema.alterTable(table, (t) => { for (const [, add] of missing) add(t); }));
}

async function ensureSharedTables(db: Db): Promise<void> {
  await createIfMissing(db, LINK_TABLE, (t) => {
    t.text('rel').notNullable();
    t.bigInteger('from_id').notNullable();
    t.bigInteger('to_id').notNullable();
    t.text('role');
    t.boolean('is_inactive');
    t.text('status');
    t.bigInteger('seq');
    t.primary(['rel', 'from_id', 'to_id']);
    t.index(['rel', 'to_id']);
  });
  await createIfMissing(db, CONTACT_POINT_TABLE, (t) => {
    t.bigInteger('record_id').notNullable();
    t.text('kind').notNullable();
    t.integer('position').notNullable();
    t.text('value').notNullable();
    t.text('lower_value').notNullable();
    t.text('type');
    t.boolean('opt_out');
    t.boolean('invalid');
    t.primary(['record_id', 'kind', 'position']);
    t.index(['kind', 'lower_value']);
  });
  await createIfMissing(db, TOMBSTONE_TABLE, (t) => {
    t.bigInteger('id').primary();
    t.text('entity').notNullable();
    t.text('deleted_at').notNullable();
    t.index(['entity', 'deleted_at']);
  });
  await createIfMissing(db, COUNTER_TABLE, (t) => { t.text('entity').primary(); t.bigInteger('value'); });
  await createIfMissing(db, API_KEY_TABLE, (t) => {
    t.text('key_hash').primary(); t.bigInteger('user_id').notNullable(); t.text('created_at'); t.text('secret'); t.index(['user_id']);
  });
  // `secret` (the HMAC secret key, null for a plain key) came after the first release.
  await addMissingColumns(db, API_KEY_TABLE, { secret: (t) => { t.text('secret'); } });
  await createIfMissing(db, META_TABLE, (t) => { t.text('key').primary(); t.text('value'); });
  await createIfMissing(db, JOB_TABLE, (t) => {
    t.bigInteger('id').primary();
    t.text('kind').notNullable();
    t.bigInteger('user_id').notNullable();
    t.text('status').notNullable();
    t.bigInteger('processed_count');
    t.text('error');
    t.text('created_at').notNullable();
    t.text('started_at');
    t.text('finished_at');
    t.index(['created_at']);
  });
  if (db.kind === 'pg') {
    await db.run(`CREATE SEQUENCE IF NOT EXISTS ${SEQUENCE_NAME}`);
  } else {
    await createIfMissing(db, SEQUENCE_TABLE, (t) => { t.text('name').primary(); t.bigInteger('value'); });
    await db.run(`INSERT INTO ${SEQUENCE_TABLE} (name, value) VALUES ('id', 0) ON CONFLICT (name) DO NOTHING`);
  }
}

/** Makes the entity's table match its definition: creates it, or adds the columns and indexes it lacks. */
export async function ensureEntityTable(db: Db, def: EntityDef): Promise<void> {
  const table = tableOf(def.name);
  const fields = columnFields(def);
  const existing = await tableColumns(db, table);
  if (existing.size === 0) {
    await exec(db, db.builder.schema.createTable(table, (t) => {
      // SQLite: INTEGER PRIMARY KEY is the rowid itself, one B-tree lookup per id instead of two.
      if (db.kind === 'sqlite') t.integer('id').primary(); else t.bigInteger('id').primary();
      for (const f of fields) if (f.name !== 'id') addColumn(t, f);
    }));
  } else {
    const missing = fields.filter((f) => !existing.has(f.name));
    if (missing.length) await exec(db, db.builder.schema.alterTable(table, (t) => { for (const f of missing) addColumn(t, f); }));
  }
  for (const f of fields) {
    if (f.name === 'id') continue;
    const wanted = f.index ?? (f.type === 'link' || f.type === 'parent');
    if (!wanted) continue;
    // (value, deleted_at, created_at): a filter on live records counts from the index alone and pages in the
    // default newest-first order without sorting. Text is indexed lower-cased: every equality and sort on text
    // goes through lower() (see compile.ts), so one index per field serves both case rules.
    const expr = isStringType(f) ? `lower("${f.name}")` : `"${f.name}"`;
    const cols = f.name === 'created_at' || f.name === 'deleted_at' ? expr : `${expr}, "deleted_at", "created_at"`;
    await db.run(`CREATE INDEX IF NOT EXISTS ix_${def.name}_${f.name}_v2 ON ${table} (${cols})`);
    await db.run(`DROP INDEX IF EXISTS ix_${def.name}_${f.name}`);
    await db.run(`DROP INDEX IF EXISTS ix_${def.name}_${f.name}_raw`);
  }
}

export async function migrate(db: Db, registry: Registry): Promise<void> {
  await ensureSharedTables(db);
  for (const name of registry.entityNames()) await ensureEntityTable(db, registry.entity(name)!);
}

/** Takes `n` ids from the one sequence shared by every entity. */
export async function reserveIds(db: Db, n = 1): Promise<number[]> {
  if (db.kind === 'pg') {
    const rows = await db.all<{ v: number }>(`SELECT nextval('${SEQUENCE_NAME}') AS v FROM generate_series(1, ?)`, [n]);
    return rows.map((r) => r.v);
  }
  const rows = await db.all<{ value: number }>(
    `UPDATE ${SEQUENCE_TABLE} SET value = value + ? WHERE name = 'id' RETURNING value`, [n]);
  const first = rows[0].value - n + 1;
  return Array.from({ length: n }, (_, i) => first + i);
}
