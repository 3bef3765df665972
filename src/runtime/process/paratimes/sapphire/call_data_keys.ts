/**
 * The runtime's call-data key pairs, one per epoch, from its key manager (through the host): named as
 * runtime-sdk names them (a TupleHash of "oasis-runtime-sdk/private: tx for chain <runtime chain context>"
 * and the epoch), kept for the few epochs an envelope may refer to. A failed fetch is not cached, and it is
 * not a call error: it fails the whole batch or query, so no node commits a result that depended on a key
 * it could not get.
 */
import { u64be, utf8 } from '../../../../codec/bytes.ts';
import { tupleHash256 } from '../../../../crypto/tuplehash.ts';
import type { KeyPair } from '../../../protocol/keymanager.ts';
import type { RuntimeHostCalls } from '../../sdk/app.ts';
import { MAX_EPHEMERAL_KEY_AGE } from '../../sdk/callformat.ts';

const KEY_PAIR_ID_CONTEXT = utf8('oasis-runtime-sdk/keymanager: key pair id');
/** Epochs kept: the current one and the oldest an envelope may name, with a margin. */
const CACHED_EPOCHS = Number(MAX_EPHEMERAL_KEY_AGE) + 3;

/** Raised when the key manager could not be reached (not a property of the call). */
export class KeyManagerUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`key manager unavailable: ${(cause as Error).message ?? String(cause)}`);
    this.name = 'KeyManagerUnavailableError';
  }
}

/** runtime-sdk's key pair ID of a tuple of items (`keymanager.rs get_key_pair_id`). */
export function keyPairId(items: Uint8Array[]): Uint8Array {
  return tupleHash256(KEY_PAIR_ID_CONTEXT, items);
}

/** runtime-sdk's key pair ID of the call-data key of `epoch` on a runtime with `runtimeChainContext`. */
export function callDataKeyPairId(runtimeChainContext: string, epoch: bigint): Uint8Array {
  return keyPairId([utf8(`oasis-runtime-sdk/private: tx for chain ${runtimeChainContext}`), u64be(epoch)]);
}

/** Per-epoch call-data key pairs, fetched once each. */
export class CallDataKeys {
  readonly #host: RuntimeHostCalls;
  readonly #chainContext: string;
  readonly #byEpoch = new Map<bigint, Promise<KeyPair>>();

  constructor(host: RuntimeHostCalls, runtimeChainContext: string) {
    this.#host = host;
    this.#chainContext = runtimeChainContext;
  }

  /** The key pair of `epoch`; throws `KeyManagerUnavailableError` when it cannot be had. */
  keyPair(epoch: bigint): Promise<KeyPair> {
    let pair = this.#byEpoch.get(epoch);
    if (pair === undefined) {
      pair = this.#host
        .keyPair({ key_pair_id: callDataKeyPairId(this.#chainContext, epoch), epoch })
        .catch((err: unknown) => {
          this.#byEpoch.delete(epoch);
          throw new KeyManagerUnavailableError(err);
        });
      this.#byEpoch.set(epoch, pair);
      const sorted = [...this.#byEpoch.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const old of sorted.slice(0, Math.max(0, sorted.length - CACHED_EPOCHS)))
        this.#byEpoch.delete(old);
    }
    return pair;
  }
}
