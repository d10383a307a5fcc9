#!/usr/bin/env node
// Adds lock entries for other platforms' optional native binaries (e.g. @swc/core-darwin-arm64).
//
// Why: our machines' npm registry mirror answers 404 for binaries of platforms it does not serve,
// so `npm install` records the parent's optionalDependencies but no entry for them, and `npm ci`
// then refuses the lock as "not in sync" on every machine. An entry with the exact version and the
// platform (`os`/`cpu`/`libc`, read from the package name) is what npm itself would have written
// minus the integrity hash: npm skips it on other platforms and fetches (and hashes) it on its own.
// Run after changing dependencies: `node tools/ci/complete-lockfile.cjs`.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const lockPath = join(__dirname, '../../package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = [
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'android',
  'openharmony',
  'sunos',
  'aix',
  'netbsd',
  'openbsd',
];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  const libc = parts.find((p) => p.startsWith('musl'))
    ? 'musl'
    : parts.find((p) => p.startsWith('gnu'))
      ? 'glibc'
      : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    const candidates = [`${base}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) {
      throw new Error(`${path} -> ${dep}@${spec}: not an exact version; resolve it by hand`);
    }
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) throw new Error(`${dep}: cannot tell its platform from the name`);
    const file = dep.split('/').pop();
    packages[`node_modules/${dep}`] = {
      version: spec,
      resolved: `https://registry.npmjs.org/${dep}/-/${file}-${spec}.tgz`,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
    };
    added += 1;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lockfile: added ${added} platform entries\n`);
