// The database seam: SQLite through raw better-sqlite3 statements (cached, the hot path) or PostgreSQL through knex.
// SQL is written once with `?` placeholders; both backends take it as it is.
import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import knexFactory, { Knex } from 'knex';
import { BadRequestError } from '../errors';

export type DbKind = 'sqlite' | 'pg';
export type Row = Record<string, unknown>;

/** One statement a reader asks for; it is handed the rows back. */
export interface SqlAsk { sql: string; params: unknown[] }
/**
 * A read written once for both backends: a generator that yields the statements it needs. SQLite answers them
 * synchronously (one promise per read instead of one per statement); PostgreSQL awaits each.
 */
export type Reader<T> = Generator<SqlAsk, T, Row[]>;

export interface Db {
  readonly kind: DbKind;
  /** A connectionless knex for building DDL in this backend's dialect. */
  readonly builder: Knex;
  all<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs a reader to its end. */
  read<T>(reader: Reader<T>): Promise<T>;
  /** Runs fn in one transaction; nested calls join the outer one. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL cannot hold a NUL in text; refusing it on both backends keeps them alike. */
function checkParams(params: unknown[]): void {
  for (const p of params) {
    if (typeof p === 'string' && p.includes('\u0000')) throw new BadRequestError('Text with a NUL character cannot be stored or searched.', 'value');
  }
}

export function openDb(url: string): Db {
  if (/^postgres(ql)?:\/\//.test(url)) return new PgDb(url);
  return new SqliteDb(url);
}

class SqliteDb implements Db {
  readonly kind = 'sqlite' as const;
  readonly builder = knexFactory({ client: 'better-sqlite3', useNullAsDefault: true });
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private depth = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.db = new Database(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = OFF');
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.statements.size > 2000) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    checkParams(params);
    const s = this.statement(sql);
    if (!s.reader) { s.run(...params.map(toSqlite)); return []; }
    return s.all(...params.map(toSqlite)) as T[];
  }

  read<T>(reader: Reader<T>): Promise<T> {
    try {
      let step = reader.next();
      while (!step.done) {
        const ask = step.value;
        checkParams(ask.params);
        const st = this.statement(ask.sql);
        step = reader.next(st.all(...ask.params.map(toSqlite)) as Row[]);
      }
      return Promise.resolve(step.value);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    checkParams(params);
    const s = this.statement(sql);
    // RETURNING statements are read to the end, or the WAL cannot checkpoint.
    if (s.reader) return s.all(...params.map(toSqlite)).length;
    return s.run(...params.map(toSqlite)).changes;
  }

  /**
   * One connection: transactions queue behind each other. No AsyncLocalStorage here (it would put async hooks on
   * every promise of the process): a core transaction awaits nothing but this database, whose calls answer at
   * once, so its whole body runs before any other request's code and a call made inside it is nested.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn();
    const prev = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((r) => (release = r));
    await prev;
    this.depth++;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn();
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      this.depth--;
      release();
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
    await this.builder.destroy();
  }
}

const txStore = new AsyncLocalStorage<unknown>();

function toSqlite(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

class PgDb implements Db {
  readonly kind = 'pg' as const;
  readonly builder: Knex;
  private readonly knex: Knex;

  constructor(url: string) {
    // int8 (ids, counts) as JS numbers: ids stay far below 2^53.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pgTypes = require('pg').types;
    pgTypes.setTypeParser(20, (v: string) => Number(v));
    pgTypes.setTypeParser(1700, (v: string) => Number(v));
    this.knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 } });
    this.builder = this.knex;
  }

  private runner(): Knex | Knex.Transaction {
    return (txStore.getStore() as Knex.Transaction | undefined) ?? this.knex;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    checkParams(params);
    const r = await this.runner().raw(sql, params as Knex.RawBinding[]);
    return r.rows as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    checkParams(params);
    const r = await this.runner().raw(sql, params as Knex.RawBinding[]);
    return r.rowCount ?? 0;
  }

  async read<T>(reader: Reader<T>): Promise<T> {
    let step = reader.next();
    while (!step.done) step = reader.next(await this.all<Row>(step.value.sql, step.value.params));
    return step.value;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (txStore.getStore()) return fn();
    return this.knex.transaction((trx) => txStore.run(trx, fn));
  }

  async close(): Promise<void> {
    await this.knex.destroy();
  }
}
