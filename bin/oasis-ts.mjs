#!/usr/bin/env node
// Entry point of the `oasis-ts` command: runs the TypeScript sources through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/polyfill.ts');
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
