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

/**
 * The body and the proof of a module-authenticated runtime transaction (`[body, [{module: …, …}]]`);
 * null for any other shape (an SDK-signed transaction, or garbage).
 */
export function moduleAuthenticated(
  tx: Uint8Array,
  maxBytes?: number,
): { body: Uint8Array; proof: Record<string, unknown> } | null {
  let outer: unknown;
  try {
    outer = decodeCanonical(tx, maxBytes);
  } catch {
    return null;
  }
  if (!Array.isArray(outer) || outer.length !== 2 || !(outer[0] instanceof Uint8Array)) return null;
  const proofs = outer[1];
  if (!Array.isArray(proofs) || proofs.length !== 1) return null;
  const proof = proofs[0] as Record<string, unknown> | null;
  if (typeof proof !== 'object' || proof === null || Array.isArray(proof) || proof instanceof Uint8Array)
    return null;
  return 'module' in proof ? { body: outer[0], proof } : null;
}

/** Whether a module proof names exactly the Ethereum scheme. */
export function isEthereumProof(proof: Record<string, unknown>): boolean {
  return Object.keys(proof).length === 1 && proof.module === ETHEREUM_TX_SCHEME;
}

/** The raw Ethereum transaction a runtime transaction carries; null for anything else. */
export function unwrapEthereumTx(tx: Uint8Array): Uint8Array | null {
  const auth = moduleAuthenticated(tx);
  return auth !== null && isEthereumProof(auth.proof) ? auth.body : null;
}
