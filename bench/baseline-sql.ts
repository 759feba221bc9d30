// The baseline's only way into SQLite: tiny wrappers, so that a CPU profile shows SQLite time as its own line
// (a native call counts as self time of the JS function calling it), as the gateway's core/store/db.ts does.
import type { Statement } from 'better-sqlite3';

export function get<T>(s: Statement, ...params: unknown[]): T | undefined { return s.get(...params) as T | undefined; }
export function all<T>(s: Statement, ...params: unknown[]): T[] { return s.all(...params) as T[]; }
export function run(s: Statement, ...params: unknown[]): void { s.run(...params); }
