// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per area (our code by folder, packages,
// node internals, V8), as markdown. Idle time is left out, so shares are of the busy time.
import fs from 'node:fs';
import { ROOT } from './seed';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function where(url: string): string {
  if (!url) return '';
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('/node_modules/');
  if (nm >= 0) return p.slice(nm + 14);
  return p.startsWith(ROOT) ? p.slice(ROOT.length + 1) : p;
}

// Where each side calls into SQLite; the native work counts as these functions' self time.
const SQLITE = ['dist/core/store/db.js', 'dist/bench/baseline-sql.js'];

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? `V8 ${fn}` : fn === 'writev' || fn === 'writeUtf8String' ? 'socket writes (native)' : 'native';
  const w = where(url);
  if (SQLITE.includes(w) || w.startsWith('better-sqlite3/')) return 'SQLite (better-sqlite3 calls)';
  if (w.startsWith('dist/bench/')) return 'baseline code';
  if (url.includes('/node_modules/')) {
    const parts = w.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (w.startsWith('node:')) return 'node internals';
  const m = /^dist\/([^/]+)(?:\/([^/]+))?/.exec(w);
  if (!m) return w;
  return m[1] === 'core' || m[1] === 'dialects' ? `${m[1]}/${m[2]?.replace(/\.js$/, '') ?? ''}` : m[1];
}

export interface ProfileSummary { busyUs: number; functions: [string, number][]; areas: Map<string, number> }

export function summarise(file: string, top = 10): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  prof.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') return;
    const us = prof.timeDeltas[i] ?? 0;
    busy += us;
    const name = `${f.functionName || '(anonymous)'}${f.url ? ` ${where(f.url)}:${f.lineNumber + 1}` : ''}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
    const a = area(f.url, f.functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
  });
  return { busyUs: busy, functions: [...fns.entries()].sort((a, b) => b[1] - a[1]).slice(0, top), areas };
}

interface Profiled { s: ProfileSummary; requests: number; rps: number }

/** The gateway's top functions, then its areas beside the baseline's, in CPU µs per request. */
export function toMarkdown(title: string, gw: Profiled, base: Profiled): string {
  const perReq = (us: number, p: Profiled) => (p.requests ? us / p.requests : 0).toFixed(1);
  const share = (us: number, p: Profiled) => `${((us / p.s.busyUs) * 100).toFixed(1)}%`;
  const fnRows = gw.s.functions.map(([n, us], i) => `| ${i + 1} | \`${n}\` | ${(us / 1000).toFixed(0)} | ${share(us, gw)} | ${perReq(us, gw)} |`);
  const names = [...new Set([...gw.s.areas.keys(), ...base.s.areas.keys()])]
    .sort((a, b) => (gw.s.areas.get(b) ?? 0) + (base.s.areas.get(b) ?? 0) - (gw.s.areas.get(a) ?? 0) - (base.s.areas.get(a) ?? 0)).slice(0, 12);
  const areaRows = names.map((a) => `| ${a} | ${perReq(gw.s.areas.get(a) ?? 0, gw)} | ${perReq(base.s.areas.get(a) ?? 0, base)} |`);
  return [
    `### ${title}`, '',
    `gateway ${Math.round(gw.rps)} req/s, ${perReq(gw.s.busyUs, gw)} µs CPU/req; baseline ${Math.round(base.rps)} req/s, ${perReq(base.s.busyUs, base)} µs CPU/req (both under the profiler)`, '',
    '| # | gateway function (self time) | ms | share | µs/req |', '|---|---|--:|--:|--:|', ...fnRows, '',
    '| area (self time) | gateway µs/req | baseline µs/req |', '|---|--:|--:|', ...areaRows, '',
  ].join('\n');
}
