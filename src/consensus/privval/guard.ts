/**
 * The double-sign guard: the only path from the engine to the validator's consensus key. It signs under
 * `Contexts.consensusVote` bound to the chain (so its signatures equal `signVote` / `signProposal`), only
 * when `checkSignPosition` allows it, and persists the new last-sign state durably before the signature
 * leaves. Calls are serialized, so two signatures in flight can never both pass the check.
 */
import { Contexts, fullContext } from '../../crypto/context.ts';
import type { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import { signBytes as signWithContext, verifySignature } from '../../crypto/signature.ts';
import type { DoubleSignGuard, SignStep } from '../api/durability.ts';
import { checkSignPosition } from './check.ts';
import { PrivvalErrors } from './errors.ts';
import { MAX_SIGN_BYTES, type SignState } from './sign_state.ts';
import type { SignStateStore } from './store.ts';

export {
  checkSignPosition,
  comparePositions,
  type SignDecision,
  type SignPosition,
  signStepOf,
} from './check.ts';
export { PRIVVAL_MODULE, PrivvalErrors } from './errors.ts';
export { FileSignStateStore } from './file_store.ts';
export type { SignState } from './sign_state.ts';
export { MemorySignStateStore, type SignStateStore } from './store.ts';

class SerializedGuard implements DoubleSignGuard {
  readonly publicKey: Uint8Array;
  readonly #key: Ed25519KeyPair;
  readonly #chainContext: string;
  readonly #store: SignStateStore;
  #last: SignState | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(key: Ed25519KeyPair, chainContext: string, store: SignStateStore, last: SignState | undefined) {
    this.publicKey = key.publicKey;
    this.#key = key;
    this.#chainContext = chainContext;
    this.#store = store;
    this.#last = last;
  }

  sign(height: number, round: number, step: SignStep, signBytes: Uint8Array): Promise<Uint8Array> {
    const run = this.#queue.then(() => this.#signNow(height, round, step, signBytes));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #signNow(height: number, round: number, step: SignStep, bytes: Uint8Array): Promise<Uint8Array> {
    const decision = checkSignPosition(this.#last, { height, round, step }, bytes);
    if (decision.kind === 'repeat') return decision.signature;
    if (bytes.length > MAX_SIGN_BYTES) throw new RangeError(`sign bytes longer than ${MAX_SIGN_BYTES}`);
    const signature = signWithContext(this.#key, Contexts.consensusVote, bytes, this.#chainContext).signature;
    const next: SignState = { height, round, step, signBytes: new Uint8Array(bytes), signature };
    // If saving fails nothing is released and the in-memory state stays put; whatever reached the disk is
    // at least as high as what was released, so a later call or a restart stays safe.
    await this.#store.save(next);
    this.#last = next;
    return new Uint8Array(signature);
  }
}

/**
 * A guard for `key` on the chain `chainContext`, resuming from the state in `store`. Refuses to start when
 * the stored state's signature was not made by this key for this chain (a copied or mixed-up state file).
 */
export async function createGuard(
  key: Ed25519KeyPair,
  chainContext: string,
  store: SignStateStore,
): Promise<DoubleSignGuard> {
  fullContext(Contexts.consensusVote, chainContext); // Throws early on a missing or oversize chain context.
  const last = await store.load();
  if (
    last !== undefined &&
    !verifySignature(
      { public_key: key.publicKey, signature: last.signature },
      Contexts.consensusVote,
      last.signBytes,
      chainContext,
    )
  ) {
    throw PrivvalErrors.foreignState('does not verify with this consensus key and chain context');
  }
  return new SerializedGuard(key, chainContext, store, last);
}
