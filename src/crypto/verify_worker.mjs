// Entry of a signature-verification worker thread (src/crypto/verify_pool.ts). Worker threads do not
// inherit the main thread's TypeScript loader, so this registers tsx before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./verify_worker.ts');
