// The two servers as child processes: started on free ports, awaited until they answer, stopped by their own pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { API_KEY, BASELINE_DB_FILE, DB_FILE, ROOT } from './seed';

export interface Server { name: string; url: string; child: ChildProcess; stderr(): string }

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * On a machine with two or more cores and `taskset`, the server runs on core 1 and the load generator (this
 * process, see pinLoadGenerator) on core 0: the scheduler moving them around was most of the run-to-run spread.
 */
const PIN = os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;

export function pinLoadGenerator(): boolean {
  return PIN && spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)]).status === 0;
}

function start(name: string, args: string[], port: number, nodeFlags: string[]): Server {
  const [cmd, argv] = PIN ? ['taskset', ['-c', '1', process.execPath, ...nodeFlags, ...args]] : [process.execPath, [...nodeFlags, ...args]];
  const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
  child.stdout!.resume();
  return { name, url: `http://127.0.0.1:${port}`, child, stderr: () => err };
}

export function startGateway(port: number, nodeFlags: string[] = []): Server {
  return start('gateway', [path.join(ROOT, 'dist', 'gateway', 'cli.js'), 'serve', '--db', DB_FILE, '--seed', 'none',
    '--api-key', API_KEY, '--port', String(port), '--log-level', 'warn'], port, nodeFlags);
}

export function startBaseline(port: number, nodeFlags: string[] = []): Server {
  return start('baseline', [path.join(ROOT, 'dist', 'bench', 'baseline.js'), '--db', BASELINE_DB_FILE, '--port', String(port)], port, nodeFlags);
}

/** Polls `probe` until it answers 200; fails when the process exits first or after `ms`. */
export async function waitUntilUp(s: Server, probe: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (s.child.exitCode !== null) throw new Error(`${s.name} exited with ${s.child.exitCode}: ${s.stderr()}`);
    try {
      const r = await fetch(s.url + probe);
      if (r.status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${s.name} did not answer ${probe} within ${ms / 1000} s: ${s.stderr()}`);
}

/** SIGTERM to this child only; SIGKILL after 10 s. Resolves when it has exited. */
export function stop(s: Server): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    s.child.once('exit', () => { clearTimeout(force); resolve(); });
    s.child.kill('SIGTERM');
  });
}

/** CPU time (user + system, ms) the child has used so far, from /proc; undefined where there is no /proc. */
export function cpuMs(s: Server): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${s.child.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime in USER_HZ ticks (100 on Linux)
  } catch {
    return undefined;
  }
}
