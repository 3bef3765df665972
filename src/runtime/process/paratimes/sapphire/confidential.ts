/**
 * What makes the EVM confidential (Sapphire's calls): calldata that arrives as an envelope is opened with
 * the call-data key of the epoch it names, and a successful call's output is sealed back for the caller
 * (transactions with runtime-sdk's round ‖ index nonce, queries with one derived from the request); queries
 * run with a zero caller; and `core.CallDataPublicKey` publishes the current epoch's signed public key.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha512_256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from '../../../../codec/bytes.ts';
import type { CborValue } from '../../../../codec/cbor.ts';
import {
  candidateEpochs,
  MAX_EPHEMERAL_KEY_AGE,
  openCall,
  parseEvmCallData,
  queryResultNonce,
  sealResult,
  txResultNonce,
} from '../../sdk/callformat.ts';
import type { CallDataOpener, QueryMode } from '../evm/call_data.ts';
import type { CallDataKeys } from './call_data_keys.ts';

const RNG_SEED_CONTEXT = utf8('oasis-ts/sapphire: rng seed');

/** Position of queries in the random generator's seed (no transaction has it). */
export const QUERY_POSITION = 0xffff_ffff;

/** Confidential calls over one runtime's call-data keys. */
export class ConfidentialCalls {
  readonly #keys: CallDataKeys;
  readonly #maxKeyAge: bigint;

  constructor(keys: CallDataKeys, maxKeyAge = MAX_EPHEMERAL_KEY_AGE) {
    this.#keys = keys;
    this.#maxKeyAge = maxKeyAge;
  }

  #opener(epoch: bigint, resultNonce: (requestNonce: Uint8Array) => Uint8Array): CallDataOpener {
    return async (data) => {
      const parsed = parseEvmCallData(data);
      if (parsed.format === 0) return { data: parsed.data, seal: (output) => output };
      const { envelope } = parsed;
      let failure: unknown;
      for (const candidate of candidateEpochs(envelope, epoch, this.#maxKeyAge)) {
        const pair = await this.#keys.keyPair(candidate);
        try {
          const opened = openCall(envelope, pair.secret);
          return {
            data: opened.data,
            seal: (output) => sealResult(opened, resultNonce(envelope.nonce), output),
          };
        } catch (err) {
          failure = err;
        }
      }
      throw failure;
    };
  }

  /** Opens the calldata of the `index`-th transaction of `round` (epoch `epoch`). */
  txOpener(epoch: bigint, round: bigint, index: number): CallDataOpener {
    const nonce = txResultNonce(round, index);
    return this.#opener(epoch, () => nonce);
  }

  /** How queries run at `epoch`. */
  queryMode(epoch: bigint): QueryMode {
    return { open: this.#opener(epoch, queryResultNonce), zeroCaller: true };
  }

  /**
   * The random generator seed of one run: the epoch's key-manager state key bound to the round and the
   * run's position (a transaction's index, or 2^32 − 1 for queries), the same on every node.
   */
  async randomSeed(epoch: bigint, round: bigint, index: number): Promise<Uint8Array> {
    const pair = await this.#keys.keyPair(epoch);
    const position = new Uint8Array(12);
    new DataView(position.buffer).setBigUint64(0, round);
    new DataView(position.buffer).setUint32(8, index);
    return hmac(sha512_256, pair.state_key, concatBytes(RNG_SEED_CONTEXT, position));
  }

  /** `core.CallDataPublicKey`: `{epoch, public_key}` of `epoch`. */
  async callDataPublicKey(epoch: bigint): Promise<CborValue> {
    const pair = await this.#keys.keyPair(epoch);
    const { key, checksum, signature, expiration } = pair.public_key;
    return {
      epoch,
      public_key: { key, checksum, signature, ...(expiration !== undefined ? { expiration } : {}) },
    };
  }
}
