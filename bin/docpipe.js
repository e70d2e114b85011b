#!/usr/bin/env node
// The `docpipe` command: loads the TypeScript entry point through tsx so that no build step is needed after `npm ci`.
require('tsx/cjs');
require('./docpipe-cli.ts');
