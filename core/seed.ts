// Loads a data set of records whose links are `{"$ref": "..."}` references to earlier records, in one transaction.
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from './core';
import type { Id } from './types';
import { insertRecord, patchRecord } from './store/write';
import { BadRequestError } from './errors';

export interface SeedRecord { ref: string; entity: string; data: Record<string, unknown> }

function resolve(v: unknown, ids: Map<string, Id>): unknown {
  if (Array.isArray(v)) return v.map((x) => resolve(x, ids));
  if (v && typeof v === 'object' && '$ref' in (v as object)) {
    const ref = (v as { $ref: string }).$ref;
    const id = ids.get(ref);
    if (id === undefined) throw new BadRequestError(`Seed reference '${ref}' points at no earlier record.`, 'seed');
    return id;
  }
  return v;
}

export async function loadRecords(core: Core, records: SeedRecord[]): Promise<number> {
  const ids = new Map<string, Id>();
  const admin = await core.admin();
  const ctx = { user: admin };
  await core.db.transaction(async () => {
    for (const r of records) {
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r.data)) data[k] = resolve(v, ids);
      const createdAt = typeof data.created_at === 'string' ? data.created_at : undefined;
      const modifiedAt = typeof data.modified_at === 'string' ? data.modified_at : undefined;
      delete data.created_at; delete data.modified_at;
      if (r.entity === 'user' && data.user_name === 'admin') {
        // The built-in administrator already exists (id 1): the data set only describes it.
        delete data.user_name;
        await patchRecord(core.store, 'user', admin.id, data, ctx);
        ids.set(r.ref, admin.id);
        continue;
      }
      ids.set(r.ref, await insertRecord(core.store, r.entity, data, ctx, { createdAt, modifiedAt }));
    }
  });
  return records.length;
}

/** `--seed demo`, `--seed none` or a directory holding `*.json` files of SeedRecord arrays (loaded in name order). */
export async function seed(core: Core, what: string): Promise<number> {
  if (what === 'none') return 0;
  if (what === 'demo') {
    const { generateDemo } = await import('../fixtures/demo/generate');
    return loadRecords(core, generateDemo().records);
  }
  const files = fs.readdirSync(what).filter((f) => f.endsWith('.json')).sort();
  const records = files.flatMap((f) => JSON.parse(fs.readFileSync(path.join(what, f), 'utf8')) as SeedRecord[]);
  return loadRecords(core, records);
}
