/**
 * Entry point of the accounts ParaTime process, started by a runtime host with `OASIS_WORKER_HOST` set.
 */
import { serveRuntime } from '../../sdk/serve.ts';
import { AccountsRuntime } from './runtime.ts';

serveRuntime(new AccountsRuntime());
