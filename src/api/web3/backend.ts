/** What the Ethereum JSON-RPC endpoint serves from: one EVM ParaTime hosted by the node, and its index. */
import type { RuntimeClientBackend } from '../../runtime/node/client/api.ts';
import type { EthIndexReader } from '../../runtime/node/client/eth_index.ts';

/** The endpoint's view of the node. */
export interface Web3Backend {
  /** The EVM ParaTime served. */
  runtimeId: Uint8Array;
  /** Its EIP-155 chain ID. */
  chainId: bigint;
  /** Runtime queries and transaction submission. */
  runtimes: RuntimeClientBackend;
  /** Its blocks, transactions, receipts and logs. */
  index: EthIndexReader;
}
