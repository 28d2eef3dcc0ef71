#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a runtime dependency), so `npx usermod` works from a checkout.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const tsx = join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const r = spawnSync(tsx, [join(__dirname, 'usermod.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
