// The results table (stdout and bench/results.md) and the machine it ran on.
import os from 'node:os';
import Database from 'better-sqlite3';
import { DB_FILE } from './seed';

export const TARGET = 0.85;

export interface Measured { rps: number; p50: number; p99: number; errors: number; non2xx: number; ok: number; requests: number; cpuUsPerReq?: number }
export interface Row { label: string; gateway: Measured; baseline: Measured }

export function machine(): string[] {
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return [
    `- CPU: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores`,
    `- Node ${process.version}, SQLite ${sqlite} (better-sqlite3), ${os.platform()} ${os.release()}`,
    `- Load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes on the machine skew the numbers)`,
  ];
}

/** EXPLAIN QUERY PLAN of the gateway's filtered-list statements (core/store/read.ts) on the bench file. */
export function listPlan(): { lines: string[]; indexed: boolean } {
  const db = new Database(DB_FILE, { readonly: true });
  try {
    const espo = 'WHERE lower(t."last_name") = ? AND t.deleted_at IS NULL';
    const ra = 'WHERE (lower(t."last_name") = ? AND t."last_name" = ?) AND t.deleted_at IS NULL';
    const lines: string[] = [];
    let indexed = true;
    for (const [sql, ix] of [
      [`SELECT t.* FROM crm_contact t ${espo} ORDER BY t."created_at" DESC, t.id DESC LIMIT 20`, 'ix_contact_last_name_v2'],
      [`SELECT COUNT(*) AS n FROM crm_contact t ${espo}`, 'ix_contact_last_name_v2'],
      [`SELECT t.* FROM crm_contact t ${ra} ORDER BY t.id ASC LIMIT 20`, 'ix_contact_last_name_v2'],
      [`SELECT COUNT(*) AS n FROM crm_contact t ${ra}`, 'ix_contact_last_name_v2'],
    ]) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.includes('t."last_name" = ?') ? ['smith', 'Smith'] : ['smith'])) as { detail: string }[]).map((r) => r.detail);
      if (!plan.some((d) => d.includes(`USING INDEX ${ix} `) || d.includes(`USING COVERING INDEX ${ix} `))) indexed = false;
      lines.push(`    ${sql}`, ...plan.map((d) => `      -> ${d}`));
    }
    return { lines, indexed };
  } finally {
    db.close();
  }
}

const num = (n: number) => (n >= 100 ? Math.round(n).toString() : n.toFixed(1));

function cell(m: Measured): string[] {
  const bad = m.errors + m.non2xx;
  return [`${num(m.rps)}${bad ? ` (${bad} failed)` : ''}`, num(m.p50), num(m.p99)];
}

export function table(rows: Row[]): string[] {
  const out = [
    '| operation | gateway req/s | p50 ms | p99 ms | baseline req/s | p50 ms | p99 ms | ratio | target | CPU µs/req gateway / baseline | CPU ratio |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|',
  ];
  for (const r of rows) {
    const ratio = r.baseline.rps > 0 ? r.gateway.rps / r.baseline.rps : 0;
    const g = r.gateway.cpuUsPerReq; const b = r.baseline.cpuUsPerReq;
    const cpu = g && b ? `| ${Math.round(g)} / ${Math.round(b)} | ${(b / g).toFixed(2)} |` : '| n/a | n/a |';
    out.push(`| ${r.label} | ${[...cell(r.gateway), ...cell(r.baseline)].join(' | ')} | ${ratio.toFixed(2)} | ${ratio >= TARGET ? 'ok' : 'MISSED'} ${cpu}`);
  }
  return out;
}
