/**
 * Signature contexts: every signature in the system is Ed25519 over SHA-512/256(context || message), and
 * chain-bound contexts append ` for chain <chain context>` so a signature cannot be replayed on another
 * network. Every context string oasis-core uses for what we sign lives here.
 */
import { utf8 } from '../codec/bytes.ts';
import { sha512_256 } from './hash.ts';

/** Separator between a base context and the chain context. */
export const CHAIN_CONTEXT_SEPARATOR = ' for chain ';
/** Separator between a base context and a runtime ID (applied before the chain suffix). */
export const RUNTIME_CONTEXT_SEPARATOR = ' for runtime ';
/** Longest context in bytes (oasis-core limit). */
export const MAX_CONTEXT_SIZE = 255;
/** Longest chain context in bytes (oasis-core limit). */
export const MAX_CHAIN_CONTEXT_SIZE = 64;

/** A base signature context and whether it must be bound to the chain. */
export interface SignatureContext {
  readonly base: string;
  readonly chainSeparated: boolean;
}

function ctx(base: string, chainSeparated: boolean): SignatureContext {
  return Object.freeze({ base, chainSeparated });
}

/** The contexts we sign or verify, named as oasis-core names them. */
export const Contexts = Object.freeze({
  /** Consensus transactions (chain-bound). */
  transaction: ctx('oasis-core/consensus: tx', true),
  /** Entity descriptors (not chain-bound: also used in genesis). */
  registerEntity: ctx('oasis-core/registry: register entity', false),
  /** Node descriptors (not chain-bound: also used in genesis). */
  registerNode: ctx('oasis-core/registry: register node', false),
  /** Executor commitment headers (chain- and runtime-bound). */
  executorCommitment: ctx('oasis-core/roothash: executor commitment', true),
  /** Batch proposal headers (chain- and runtime-bound). */
  proposal: ctx('oasis-core/roothash: proposal', true),
  /** Proposal batches (chain- and runtime-bound). */
  proposalBatch: ctx('oasis-core/roothash: proposal batch', true),
  /** Compute results header signed by a runtime attestation key. */
  computeResultsHeader: ctx('oasis-core/roothash: compute results header', false),
  /**
   * Consensus votes and proposals. oasis-core's CometBFT fork signs under `oasis-core/tendermint` without a
   * chain suffix (the chain ID is inside the signed bytes); we bind to the chain explicitly as well.
   */
  consensusVote: ctx('oasis-core/tendermint', true),
  /** libp2p identity usage. */
  libp2p: ctx('oasis-core/worker: libp2p', false),
  /** Runtime SDK transactions (chain-bound to the runtime chain context). */
  runtimeTransaction: ctx('oasis-runtime-sdk/tx: v0', true),
});

/** Appends a runtime ID suffix to a base context (before any chain binding). */
export function withRuntimeSuffix(context: SignatureContext, runtimeIdHex: string): SignatureContext {
  return ctx(`${context.base}${RUNTIME_CONTEXT_SEPARATOR}${runtimeIdHex}`, context.chainSeparated);
}

/**
 * The full context string to sign under: the base, plus ` for chain <chainContext>` when the context is
 * chain-bound. Throws when a chain-bound context gets no chain context or the result is too long.
 */
export function fullContext(context: SignatureContext, chainContext?: string): string {
  let full = context.base;
  if (context.chainSeparated) {
    if (!chainContext) throw new Error(`context "${context.base}" needs a chain context`);
    if (Buffer.byteLength(chainContext) > MAX_CHAIN_CONTEXT_SIZE) {
      throw new Error(`chain context longer than ${MAX_CHAIN_CONTEXT_SIZE} bytes`);
    }
    full = `${full}${CHAIN_CONTEXT_SEPARATOR}${chainContext}`;
  }
  if (Buffer.byteLength(full) > MAX_CONTEXT_SIZE)
    throw new Error(`signature context longer than ${MAX_CONTEXT_SIZE} bytes`);
  return full;
}

/** UTF-8 of the few full contexts in use (encoding one per signature checked was a measurable cost). */
const contextBytes = new Map<string, Uint8Array>();
const CONTEXT_BYTES_LIMIT = 64;

/** The 32 bytes actually signed: SHA-512/256(full context || message). */
export function signerMessage(fullContextString: string, message: Uint8Array): Uint8Array {
  let prefix = contextBytes.get(fullContextString);
  if (prefix === undefined) {
    prefix = utf8(fullContextString);
    if (contextBytes.size >= CONTEXT_BYTES_LIMIT) contextBytes.clear();
    contextBytes.set(fullContextString, prefix);
  }
  return sha512_256(prefix, message);
}
