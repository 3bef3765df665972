/**
 * Where a local network's EVM ParaTime is reached with Ethereum tools: the JSON-RPC URL that
 * `localnet.json` lists as `runtimes[].web3` and `localnet up` prints beside the funded Ethereum keys.
 */
import type { LocalnetParaTime } from './paratime.ts';

/**
 * The JSON-RPC (web3) URL serving `runtime`, or undefined while no node serves one.
 *
 * Integration point for the node's `web3` config section (`{runtime_id, listen_address}`): give one
 * compute node of an EVM runtime a `web3` section in `writeNodeConfig` (its listen address from a
 * `freePort()` picked when the node's keys are made, like its gRPC-web port) and return
 * `http://<that listen address>` here; nothing else in the localnet needs to change.
 */
export function web3UrlOf(_runtime: LocalnetParaTime): string | undefined {
  return undefined;
}
