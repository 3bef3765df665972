/**
 * How a raw signed Ethereum transaction travels as a runtime transaction: runtime-sdk's
 * `UnverifiedTransaction` `[raw eth bytes, [{module: "evm.ethereum.v0"}]]`, what oasis-web3-gateway
 * submits. Shared by the EVM ParaTime (which decodes it), the node's JSON-RPC endpoint (which wraps what
 * ethers sends) and the node's Ethereum index (which finds Ethereum transactions in a round).
 */
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';

/** The module-controlled auth scheme of raw Ethereum transactions. */
export const ETHEREUM_TX_SCHEME = 'evm.ethereum.v0';

/** The runtime transaction carrying raw Ethereum transaction `raw`. */
export function wrapEthereumTx(raw: Uint8Array): Uint8Array {
  return encodeCanonical([raw, [{ module: ETHEREUM_TX_SCHEME }]]);
}

/** The raw Ethereum transaction a runtime transaction carries; null for anything else. */
export function unwrapEthereumTx(tx: Uint8Array): Uint8Array | null {
  let outer: unknown;
  try {
    outer = decodeCanonical(tx);
  } catch {
    return null;
  }
  if (!Array.isArray(outer) || outer.length !== 2 || !(outer[0] instanceof Uint8Array)) return null;
  const proofs = outer[1];
  if (!Array.isArray(proofs) || proofs.length !== 1) return null;
  const proof = proofs[0] as Record<string, unknown> | null;
  if (typeof proof !== 'object' || proof === null || proof instanceof Uint8Array) return null;
  const keys = Object.keys(proof);
  return keys.length === 1 && proof.module === ETHEREUM_TX_SCHEME ? outer[0] : null;
}
