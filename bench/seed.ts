// The benchmark data set: 1,000 accounts and 100,000 contacts in bench/.data/bench.sqlite, loaded through the core's
// own insertRecord (so rows look exactly as the gateway writes them), 5,000 per transaction. Reused when intact.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Core } from '../core/core';
import { insertRecord } from '../core/store/write';
import type { Ctx } from '../core/types';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DATA_DIR = path.join(ROOT, 'bench', '.data');
export const DB_FILE = path.join(DATA_DIR, 'bench.sqlite');
/** The baseline's own copy: two servers writing one file would each pay for the other's WAL checkpoints. */
export const BASELINE_DB_FILE = path.join(DATA_DIR, 'baseline.sqlite');
const INFO_FILE = path.join(DATA_DIR, 'bench.json');
export const API_KEY = 'bench-0123456789abcdef0123456789abcdef';
export const CONTACTS = 100_000;
const ACCOUNTS = 1_000;
const BATCH = 5_000;

export const FIRST_NAMES = ['Emma', 'Olivia', 'Sophia', 'Grace', 'Hannah', 'María', 'Lucía', 'Anna', 'Lena', 'Chiara',
  'Priya', 'Aisha', 'Mei', 'Yuki', 'Niamh', 'James', 'Oliver', 'Henry', 'Daniel', 'José', 'Carlos', 'Lukas', 'Julien',
  'Luca', 'Daan', 'Lars', 'Piotr', 'Arjun', 'Omar', 'Wei', 'Kenji', 'Minh', 'Kwame', 'Seán', 'Thomas', 'Sanne'];
export const LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Taylor', 'Anderson', 'Thompson', 'Walker', 'Harris',
  'Clarke', 'García', 'Martínez', 'López', 'González', 'Silva', 'Santos', 'Oliveira', 'Müller', 'Schmidt', 'Fischer',
  'Weber', 'Becker', 'Dubois', 'Moreau', 'Girard', 'Rossi', 'Russo', 'Bianchi', 'de Vries', 'Jansen', 'Bakker',
  'Johansson', 'Nielsen', 'Hansen', 'Kowalski', 'Nowak', 'Patel', 'Sharma', 'Reddy', 'Khan', 'Haddad', 'Yılmaz',
  'Wang', 'Li', 'Zhang', 'Chen', 'Tanaka', 'Suzuki', 'Kim', 'Park', 'Nguyen', 'Tran', 'Okafor', 'Mensah', "O'Brien",
  'Murphy', 'MacLeod', 'Novak', 'Horvat', 'Popescu', 'Ivanova', 'Petrov', 'Costa', 'Ferreira', 'Lindqvist', 'Virtanen',
  'Korhonen', 'Dimitriou', 'Papadopoulos', 'Cohen', 'Levi', 'Mahmoud', 'Aziz', 'Rahman', 'Hossain', 'Sato', 'Ito',
  'Watanabe', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Choi', 'Jung', 'Kang', 'Pham', 'Le', 'Hoang', 'Santos-Cruz',
  'Reyes', 'Ramos', 'Mendoza', 'Torres', 'Flores', 'Rivera', 'Gomez', 'Diaz', 'Morales', 'Ortiz', 'Castillo', 'Vargas'];
const CITIES = ['San Francisco', 'New York', 'Austin', 'Chicago', 'Seattle', 'Boston', 'Toronto', 'London', 'Dublin',
  'Berlin', 'München', 'Paris', 'Lyon', 'Amsterdam', 'Madrid', 'Milano', 'Stockholm', 'Sydney', 'Singapore', 'Tokyo',
  'São Paulo', 'Bengaluru', 'Cape Town', 'Lagos'];
const TITLES = ['CEO', 'CTO', 'CFO', 'VP Sales', 'VP Marketing', 'IT Director', 'Operations Manager', 'Product Manager',
  'Purchasing Manager', 'Software Engineer', 'Account Manager', 'Data Analyst', 'Project Lead', 'Founder'];
const STEMS = ['Northwind', 'Bluepeak', 'Silverline', 'Ironbridge', 'Redwood', 'Clearpath', 'Starling', 'Summit',
  'Meridian', 'Evergreen', 'Lumen', 'Quantix', 'Aurora', 'Kestrel', 'Cobalt', 'Vantage', 'Helix', 'Atlas', 'Juniper', 'Granite'];
const SUFFIXES = ['Analytics', 'Logistics', 'Systems', 'Health', 'Energy', 'Labs', 'Partners', 'Foods', 'Media', 'Robotics'];

/** What a loaded data set is; written beside the file, so a later run can tell whether it may reuse it. */
export interface BenchInfo { contacts: number; firstContactId: number; lastContactId: number; loadSeconds: number }

/** A small deterministic PRNG (mulberry32): the same data set on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

function stamp(ms: number): string { return new Date(ms).toISOString().slice(0, 19).replace('T', ' '); }

async function load(log: (s: string) => void): Promise<BenchInfo> {
  for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, INFO_FILE]) fs.rmSync(f, { force: true });
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const t0 = process.hrtime.bigint();
  const core = await Core.open({ db: DB_FILE, adminKey: API_KEY });
  const ctx: Ctx = { user: await core.admin() };
  const r = rng(42);
  const now = Date.parse('2025-06-01T00:00:00Z');
  const threeYears = 3 * 365 * 86400_000;
  const accounts: number[] = [];
  await core.db.transaction(async () => {
    for (let i = 0; i < ACCOUNTS; i++) {
      const name = `${pick(r, STEMS)} ${pick(r, SUFFIXES)} ${i + 1}`;
      accounts.push(await insertRecord(core.store, 'account', { name, billing_address_city: pick(r, CITIES) }, ctx,
        { createdAt: stamp(now - threeYears - r() * threeYears) }));
    }
  });
  let first = 0; let last = 0;
  for (let done = 0; done < CONTACTS; done += BATCH) {
    await core.db.transaction(async () => {
      for (let i = done; i < Math.min(CONTACTS, done + BATCH); i++) {
        const firstName = pick(r, FIRST_NAMES); const lastName = pick(r, LAST_NAMES);
        const id = await insertRecord(core.store, 'contact', {
          first_name: firstName, last_name: lastName, title: pick(r, TITLES), address_city: pick(r, CITIES),
          account_id: pick(r, accounts), email: `${ascii(firstName)}.${ascii(lastName)}${i}@example.com`,
          phone: `+1 555 ${String(Math.floor(r() * 1e7)).padStart(7, '0')}`,
        }, ctx, { createdAt: stamp(now - r() * threeYears) });
        if (!first) first = id;
        last = id;
      }
    });
    if ((done + BATCH) % 25_000 === 0) log(`  ${done + BATCH} contacts`);
  }
  await core.close();
  const info: BenchInfo = { contacts: CONTACTS, firstContactId: first, lastContactId: last, loadSeconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  fs.writeFileSync(INFO_FILE, JSON.stringify(info, null, 2));
  return info;
}

const SCHEMA_SQL = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";

/** The tables and indexes the current core creates (a file made by an older core is loaded again). */
async function currentSchema(): Promise<string> {
  const core = await Core.open({ db: ':memory:' });
  try {
    return JSON.stringify(await core.db.all(SCHEMA_SQL));
  } finally {
    await core.close();
  }
}

/** Drops what earlier benchmark runs created (ids after the data set) and says whether the data set is intact. */
async function reusable(log: (s: string) => void): Promise<BenchInfo | undefined> {
  if (!fs.existsSync(DB_FILE) || !fs.existsSync(INFO_FILE)) return undefined;
  const info = JSON.parse(fs.readFileSync(INFO_FILE, 'utf8')) as BenchInfo;
  const schema = await currentSchema();
  const db = new Database(DB_FILE);
  try {
    if (JSON.stringify(db.prepare(SCHEMA_SQL).all()) !== schema) { log('the core\'s schema changed since the data set was loaded'); return undefined; }
    db.pragma('journal_mode = WAL');
    db.transaction(() => {
      db.prepare('DELETE FROM crm_contact WHERE id > ?').run(info.lastContactId);
      db.prepare('DELETE FROM crm_contact_point WHERE record_id > ?').run(info.lastContactId);
      db.prepare('DELETE FROM crm_link WHERE from_id > ?').run(info.lastContactId);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const n = (db.prepare('SELECT COUNT(*) AS n FROM crm_contact WHERE id BETWEEN ? AND ? AND deleted_at IS NULL')
      .get(info.firstContactId, info.lastContactId) as { n: number }).n;
    return n === CONTACTS && info.contacts === CONTACTS ? info : undefined;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

/** The data set, loaded now (`fresh`, or when missing or damaged) or reused; `loaded` says which. */
export async function ensureBenchDb(fresh: boolean, log: (s: string) => void): Promise<BenchInfo & { loaded: boolean }> {
  const kept = fresh ? undefined : await reusable(log);
  if (kept) { log(`reusing ${path.relative(ROOT, DB_FILE)} (${kept.contacts} contacts)`); return { ...kept, loaded: false }; }
  log(`loading ${CONTACTS} contacts and ${ACCOUNTS} accounts into ${path.relative(ROOT, DB_FILE)} ...`);
  const info = await load(log);
  log(`loaded in ${info.loadSeconds.toFixed(1)} s (${Math.round(CONTACTS / info.loadSeconds)} contacts/s)`);
  return { ...info, loaded: true };
}

/** Gives the baseline a fresh copy of the gateway's data file, so both start each run from the same rows. */
export function copyForBaseline(): void {
  const db = new Database(DB_FILE);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  for (const suffix of ['-wal', '-shm']) fs.rmSync(BASELINE_DB_FILE + suffix, { force: true });
  fs.copyFileSync(DB_FILE, BASELINE_DB_FILE);
}

if (require.main === module) {
  ensureBenchDb(process.argv.includes('--fresh'), (s) => process.stdout.write(`${s}\n`)).catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
