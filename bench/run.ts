// `npm run bench [-- --duration 4 --rounds 3 --connections 10 --warmup 2 --fresh --only get,list --profile]`
// Gateway (crm-gateway serve, child process) against the hand-written baseline (child process) on the same SQLite
// data (the baseline on its own copy of the file), operation by operation with autocannon. Writes bench/results.md;
// `--profile` instead runs each operation against a gateway under `node --cpu-prof` and writes bench/profile.md.
// Exit 0 unless something failed to run.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DIALECTS } from '../gateway/dialects';
import { espoOps, reactAdminOps, type Op } from './ops';
import { DATA_DIR, ROOT, copyForBaseline, ensureBenchDb } from './seed';
import { cpuMs, freePort, pinLoadGenerator, startBaseline, startGateway, stop, waitUntilUp, type Server } from './servers';
import { listPlan, machine, table, TARGET, type Measured, type Row } from './report';
import { summarise, toMarkdown, type ProfileSummary } from './profile';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '4' }, connections: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    fresh: { type: 'boolean' }, only: { type: 'string' }, profile: { type: 'boolean' },
  },
});
const duration = Number(flags.duration); const connections = Number(flags.connections); const warmup = Number(flags.warmup);
const rounds = Number(flags.rounds);
if (!(duration > 0) || !(connections >= 1) || !(warmup >= 0) || !(rounds >= 1)) {
  throw new Error('--duration, --connections and --rounds take positive numbers, --warmup zero or more');
}
const log = (s = '') => process.stdout.write(`${s}\n`);
const PROBES: Record<string, string> = { gateway: '/_gateway/health', baseline: '/health' };
const running: Server[] = [];
let tagCounter = 0;

async function load(s: Server, op: Op, seconds: number, seed: number): Promise<Measured> {
  const next = op.calls(seed, `${process.pid}-${++tagCounter}`);
  const cpu0 = cpuMs(s);
  const r = await autocannon({
    url: s.url, connections, duration: seconds, method: op.method, headers: op.headers,
    requests: [{ setupRequest: (req) => ({ ...req, ...next() }) }],
  });
  const cpu1 = cpuMs(s);
  return {
    rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, ok: r['2xx'],
    requests: r.requests.total, cpuUsPerReq: cpu0 !== undefined && cpu1 !== undefined && r.requests.total ? ((cpu1 - cpu0) * 1000) / r.requests.total : undefined,
  };
}

/** The median of each figure over the rounds (errors and counts summed). */
function median(ms: Measured[]): Measured {
  const mid = (xs: (number | undefined)[]) => {
    const v = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)] : undefined;
  };
  const sum = (k: 'errors' | 'non2xx' | 'ok' | 'requests') => ms.reduce((a, m) => a + m[k], 0);
  return {
    rps: mid(ms.map((m) => m.rps))!, p50: mid(ms.map((m) => m.p50))!, p99: mid(ms.map((m) => m.p99))!,
    cpuUsPerReq: mid(ms.map((m) => m.cpuUsPerReq)), errors: sum('errors'), non2xx: sum('non2xx'), ok: sum('ok'), requests: sum('requests'),
  };
}

/** Where two JSON values first differ ('' when they are equal). */
function firstDifference(a: unknown, b: unknown, at = '$'): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b ? '' : at;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return '';
}

/**
 * One request per server before any load: the right status and shape. For reads, the two bodies are compared
 * (a note, not a failure: the baseline need not match the wire format exactly).
 */
async function smoke(servers: Server[], op: Op): Promise<{ problems: string[]; note?: string }> {
  const problems: string[] = [];
  const bodies: unknown[] = [];
  for (const s of servers) {
    const call = op.calls(7, `smoke-${s.name}`)();
    const res = await fetch(s.url + call.path, { method: op.method, headers: op.headers, body: call.body });
    const body = await res.text();
    const bad = op.check(res.status, body, res.headers);
    if (bad) problems.push(`${op.label} on ${s.name}: ${bad}`);
    try { bodies.push(JSON.parse(body)); } catch { bodies.push(body); }
  }
  if (op.method !== 'GET' || problems.length) return { problems };
  const d = firstDifference(bodies[0], bodies[1]);
  return { problems, note: `${op.label}: ${d ? `bodies differ first at ${d}` : 'same JSON body from both'}` };
}

/** Starts a server on a free port and waits for it; a start that dies (a port taken meanwhile) is retried twice. */
async function up(make: (port: number, nodeFlags?: string[]) => Server, nodeFlags: string[] = []): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const s = make(await freePort(), nodeFlags);
    running.push(s);
    try {
      await waitUntilUp(s, PROBES[s.name]);
      return s;
    } catch (e) {
      await stop(s);
      if (attempt === 3) throw e;
      log(`  ${s.name} did not start (${(e as Error).message.split('\n')[0].slice(0, 200)}); retrying`);
    }
  }
}

async function measure(ops: Op[]): Promise<{ rows: Row[]; failures: string[]; notes: string[] }> {
  const gateway = await up(startGateway);
  const baseline = await up(startBaseline);
  const failures: string[] = [];
  const notes: string[] = [];
  for (const op of ops) {
    const r = await smoke([gateway, baseline], op);
    failures.push(...r.problems);
    if (r.note) notes.push(r.note);
  }
  if (failures.length) return { rows: [], failures, notes };
  const rows: Row[] = [];
  for (const [i, op] of ops.entries()) {
    // Several short rounds, alternating who goes first, and the median of each: this machine's neighbours move a
    // single run by ±20 %, a median of rounds far less.
    const got: Record<string, Measured[]> = { gateway: [], baseline: [] };
    for (const s of [gateway, baseline]) if (warmup > 0) await load(s, op, warmup, 1000 + i);
    for (let r = 0; r < rounds; r++) {
      const order = (i + r) % 2 === 0 ? [gateway, baseline] : [baseline, gateway];
      for (const s of order) {
        const m = await load(s, op, duration, 1 + i + 100 * r);
        got[s.name].push(m);
        if (m.ok === 0) failures.push(`${op.label} on ${s.name}: no 2xx answer under load`);
      }
    }
    const gw = median(got.gateway); const base = median(got.baseline);
    log(`  ${op.label.padEnd(62)} gateway ${Math.round(gw.rps)} req/s, baseline ${Math.round(base.rps)} req/s (medians of ${rounds})`);
    rows.push({ label: op.label, gateway: gw, baseline: base });
  }
  return { rows, failures, notes };
}

async function profile(ops: Op[]): Promise<string[]> {
  const dir = path.join(DATA_DIR, 'prof');
  fs.rmSync(dir, { recursive: true, force: true });
  const out = ['# CPU profiles: gateway against baseline', '', ...machine(), '',
    `Each operation against a fresh process under \`node --cpu-prof\`: ${warmup} s warm-up + ${duration} s load, ${connections} connections.`,
    'Self time, idle excluded; µs/req = self time / requests answered while profiling. A native call (SQLite through better-sqlite3)',
    'counts as self time of the JS function that calls it: `all dist/core/store/db.js` is the gateway\'s SQLite time.', ''];
  for (const [i, op] of ops.entries()) {
    const got: Record<string, { s: ProfileSummary; requests: number; rps: number }> = {};
    for (const make of [startGateway, startBaseline]) {
      const name = make === startGateway ? 'gateway' : 'baseline';
      const file = `${name}-${op.key}.cpuprofile`;
      const s = await up(make, ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${file}`]);
      const w = warmup > 0 ? await load(s, op, warmup, 1000 + i) : undefined;
      const m = await load(s, op, duration, 1 + i);
      await stop(s);
      got[name] = { s: summarise(path.join(dir, file)), requests: m.requests + (w?.requests ?? 0), rps: m.rps };
      log(`  profiled ${op.label} on ${name}`);
    }
    out.push(toMarkdown(op.label, got.gateway, got.baseline));
  }
  return out;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  log('crm-gateway benchmark'); machine().forEach((l) => log(l));
  const pinned = pinLoadGenerator();
  log(pinned ? '- pinned: servers on core 1, load generator on core 0 (taskset)' : '- not pinned (no taskset or one core)');
  const info = await ensureBenchDb(!!flags.fresh, (s) => log(s));
  copyForBaseline();
  const plan = listPlan();
  log(`query plans of the filtered lists (gateway SQL)${plan.indexed ? '' : ': WARNING, an index is not used'}:`); plan.lines.forEach((l) => log(l));
  // Hook: the react-admin rows run only when the gateway mounts that dialect (gateway/dialects.ts).
  const hasReactAdmin = DIALECTS.some((d) => d.name === 'react-admin');
  let ops = [...espoOps(info), ...(hasReactAdmin ? reactAdminOps(info) : [])];
  if (flags.only) ops = ops.filter((o) => flags.only!.split(',').includes(o.key));
  if (!ops.length) throw new Error(`--only ${flags.only}: no such operation (get, list, create, update, ra-get, ra-list)`);
  log(`${ops.length} operations, ${warmup} s warm-up + ${duration} s each, ${connections} connections${hasReactAdmin ? '' : ' (react-admin dialect not mounted: its rows are skipped)'}`);

  if (flags.profile) {
    const md = await profile(ops);
    fs.writeFileSync(path.join(ROOT, 'bench', 'profile.md'), md.join('\n'));
    log(`profiles summarised in bench/profile.md (${Math.round((Date.now() - t0) / 1000)} s)`);
    return 0;
  }
  const { rows, failures, notes } = await measure(ops);
  const pinnedNote = pinned ? '- Servers pinned to core 1, the load generator to core 0 (taskset).' : '- Not pinned to cores.';
  const md = [
    '# crm-gateway benchmark', '', `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npm run bench\``, '', ...machine(),
    `- Data: ${info.contacts} contacts (1,000 accounts) in bench/.data/bench.sqlite (the baseline on its own copy)${info.loaded ? `, loaded in ${info.loadSeconds.toFixed(1)} s` : ' (reused)'}`,
    `- Load: autocannon, ${connections} connections, ${warmup} s warm-up, then ${rounds} rounds of ${duration} s per operation and server (alternating who goes first); each figure is the median of the rounds; target ratio >= ${TARGET}`,
    pinnedNote,
    '- ratio = gateway req/s / baseline req/s. CPU µs/req is the server process\'s own CPU time (from /proc) per answered request;',
    '  CPU ratio = baseline µs / gateway µs, which other load on the machine disturbs less than req/s does.',
    '', ...table(rows), '', `Filtered list query plans (EspoCRM: lower(last_name), react-admin: last_name): ${plan.indexed ? 'each uses its last_name index' : 'WARNING: a list does not use its last_name index'}`, '',
    ...plan.lines, '', 'Same answers? One read per operation on each server before the load:', '', ...notes.map((n) => `- ${n}`), '',
  ];
  if (failures.length) md.push('Failures:', '', ...failures.map((f) => `- ${f}`), '');
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), md.join('\n'));
  log(); log(table(rows).join('\n')); log();
  failures.forEach((f) => log(`FAILED: ${f}`));
  log(`written to bench/results.md (${Math.round((Date.now() - t0) / 1000)} s)`);
  return failures.length ? 1 : 0;
}

const cleanup = () => Promise.all(running.map(stop));
process.on('SIGINT', () => { cleanup().then(() => process.exit(130)); });
main().then(
  async (code) => { await cleanup(); process.exit(code); },
  async (e) => { process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`); await cleanup(); process.exit(1); },
);
