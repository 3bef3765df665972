/**
 * The `web3` section of a node's configuration: which hosted EVM ParaTime gets an Ethereum JSON-RPC
 * endpoint (HTTP and WebSocket on one port), and where. Absent: no endpoint.
 */
import { hostPort, runtimeIdHex } from '../../codec/config_values.ts';
import { type Decoder, described, optional, refine, struct } from '../../codec/schema.ts';

/** Web3 options. */
export interface Web3Options {
  /** Runtime ID (64 hex digits) of a ParaTime this node hosts with `paratime: evm`. */
  runtime_id: string;
  /** `host:port` of HTTP and WebSocket JSON-RPC. */
  listen_address: string;
}

/** Default listen address (geth's and the web3 gateway's HTTP port). */
export const DEFAULT_WEB3_LISTEN_ADDRESS = '127.0.0.1:8545';

const fields = struct({
  runtime_id: described(runtimeIdHex, 'The hosted ParaTime (`paratime: evm`) served over Ethereum JSON-RPC'),
  listen_address: optional(
    hostPort,
    `Where HTTP and WebSocket JSON-RPC are served (default ${DEFAULT_WEB3_LISTEN_ADDRESS})`,
  ),
});

/** Decodes a `web3` section as written in a file (`listen_address` defaults to 127.0.0.1:8545). */
export const web3OptionsDecoder: Decoder<Web3Options> = refine(fields, (o) => ({
  runtime_id: o.runtime_id,
  listen_address: o.listen_address ?? DEFAULT_WEB3_LISTEN_ADDRESS,
}));
