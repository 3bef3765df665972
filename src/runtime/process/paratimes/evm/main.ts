/**
 * Entry point of the EVM ParaTime process, started by a runtime host with `OASIS_WORKER_HOST` set.
 */
import { serveRuntime } from '../../sdk/serve.ts';
import { EvmRuntime } from './runtime.ts';

serveRuntime(new EvmRuntime());
