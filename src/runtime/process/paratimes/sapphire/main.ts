/**
 * Entry point of the confidential EVM ParaTime (Sapphire-compatible) process, started by a runtime host
 * with `OASIS_WORKER_HOST` set; its keys come from the key manager through the host.
 */
import { serveRuntime } from '../../sdk/serve.ts';
import { EvmRuntime } from '../evm/runtime.ts';

serveRuntime(new EvmRuntime({ confidential: true }));
