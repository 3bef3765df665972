/**
 * Which transactions are raw Ethereum transactions: runtime-sdk wraps one as an `UnverifiedTransaction`
 * `[raw eth bytes, [{module: "evm.ethereum.v0"}]]` (what the web3 gateway submits), and the `evm` module
 * decodes it. Everything else is an ordinary SDK transaction for the SDK's own authentication.
 */
import { decodeCanonical } from '../../../../codec/cbor.ts';
import { CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import { ETHEREUM_TX_SCHEME, MAX_EVM_TX_SIZE } from './params.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * The raw Ethereum transaction inside `raw`, or null when `raw` is not module-authenticated (an SDK
 * transaction, or garbage the SDK path will refuse). A module scheme other than ours is core/1.
 */
export function ethereumPayload(raw: Uint8Array): Uint8Array | null {
  let outer: unknown;
  try {
    outer = decodeCanonical(raw, MAX_EVM_TX_SIZE);
  } catch {
    return null;
  }
  if (!Array.isArray(outer) || outer.length !== 2 || !(outer[0] instanceof Uint8Array)) return null;
  const proofs = outer[1];
  if (!Array.isArray(proofs) || proofs.length !== 1 || !isRecord(proofs[0])) return null;
  const proof = proofs[0];
  if (!('module' in proof)) return null;
  if (Object.keys(proof).length !== 1 || proof.module !== ETHEREUM_TX_SCHEME) {
    throw coreError(
      CoreErrorCode.malformedTransaction,
      `malformed transaction: module-controlled transaction decoding scheme ${JSON.stringify(proof.module)} not supported`,
    );
  }
  return outer[0];
}
