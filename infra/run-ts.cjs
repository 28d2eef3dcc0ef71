'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher: it runs before any TypeScript loader exists */
// Runs a TypeScript entry point: `node [flags] infra/run-ts.cjs worker/main.ts [args]`.
//
// Why not `node --import tsx`: that flag lands in process.execArgv, which every worker thread inherits,
// so the Temporal SDK's workflow thread would load tsx (its module loader thread and source-map
// support) only to run a prebuilt JavaScript bundle: ~30 MB more resident per thread, and CPU on every
// activation (README, Performance). tsx's require hooks, registered here, stay in this thread.
require('tsx/cjs/api').register();
const { resolve } = require('node:path');

process.argv.splice(1, 1); // the entry sees the argv it would have seen run directly
process.argv[1] = resolve(process.argv[1]);
require('node:module').runMain(); // runs it as the main module (require.main === module)
