#!/usr/bin/env node
// The registry this project's machines reach serves only the linux builds of some platform-specific optional
// packages (e.g. @unrs/resolver-binding-darwin-arm64 answers 404), so a lock file written here leaves the other
// platforms out and `npm ci` refuses it ("Missing: ... from lock file"). This adds each missing optional package
// with its os/cpu, so npm skips it on a platform it does not fit, exactly as with a lock written elsewhere.
// Run after any `npm install` that changes package-lock.json: node .ci/lock-optional-stubs.js
const fs = require('fs');
const path = require('path');
const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;
const OS = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'sunos', 'openbsd', 'netbsd', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el'];
let added = 0;
for (const [where, p] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(p.optionalDependencies || {})) {
    const key = `node_modules/${name}`;
    const nested = where ? `${where}/node_modules/${name}` : key;
    if (pkgs[key] || pkgs[nested]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.map((s) => (s === 'win32' ? 'win32' : s)).filter((s) => OS.includes(s));
    const cpu = parts.map((s) => (s === 'eabi' || s === 'gnueabihf' || s === 'musleabihf' ? null : s)).filter((s) => CPU.includes(s));
    pkgs[key] = { version, dev: !!p.dev || undefined, optional: true, ...(os.length && { os }), ...(cpu.length && { cpu }) };
    if (!pkgs[key].dev) delete pkgs[key].dev;
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`lock-optional-stubs: ${added} optional package(s) added\n`);
