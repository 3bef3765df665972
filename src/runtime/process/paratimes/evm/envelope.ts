/**
 * Which transactions are raw Ethereum transactions: runtime-sdk wraps one as an `UnverifiedTransaction`
 * `[raw eth bytes, [{module: "evm.ethereum.v0"}]]` (what the web3 gateway submits; the envelope is declared
 * in runtime/protocol), and the `evm` module decodes it. Everything else is an ordinary SDK transaction for
 * the SDK's own authentication.
 */

import { CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import { isEthereumProof, moduleAuthenticated } from '../../../protocol/eth_envelope.ts';
import { MAX_EVM_TX_SIZE } from './params.ts';

/**
 * The raw Ethereum transaction inside `raw`, or null when `raw` is not module-authenticated (an SDK
 * transaction, or garbage the SDK path will refuse). A module scheme other than ours is core/1.
 */
export function ethereumPayload(raw: Uint8Array): Uint8Array | null {
  const auth = moduleAuthenticated(raw, MAX_EVM_TX_SIZE);
  if (auth === null) return null;
  if (!isEthereumProof(auth.proof)) {
    throw coreError(
      CoreErrorCode.malformedTransaction,
      `malformed transaction: module-controlled transaction decoding scheme ${JSON.stringify(auth.proof.module)} not supported`,
    );
  }
  return auth.body;
}
