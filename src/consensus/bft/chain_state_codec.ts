/**
 * Canonical CBOR of the chain state, so a persistent block store can keep it (and each height's copy) and a
 * restarted node resumes with exactly the same validator sets and proposer priorities.
 */
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, bytes, type Decoder, i64, struct, text, u64, uint } from '../../codec/schema.ts';
import { PUBLIC_KEY_SIZE } from '../../crypto/ed25519.ts';
import { HASH_SIZE } from '../../crypto/hash.ts';
import { CodecError } from '../../errors.ts';
import type { ChainStateCodec } from '../api/block_store.ts';
import type { ChainState } from './chain_state.ts';
import { ValidatorSet } from './validator_set.ts';

function setToCbor(set: ValidatorSet): Record<string, unknown> {
  return {
    validators: set.validators.map((v) => [v.publicKey, v.power, v.priority]),
    proposer: set.proposer.publicKey,
  };
}

const key = bytes(PUBLIC_KEY_SIZE);
const setStruct = struct({
  validators: arrayOf((value, path) => {
    if (!Array.isArray(value) || value.length !== 3)
      throw new CodecError(path, 'expected [key, power, priority]');
    return { publicKey: key(value[0]!, path), power: u64(value[1]!, path), priority: i64(value[2]!, path) };
  }, 100_000),
  proposer: key,
});

const setDecoder: Decoder<ValidatorSet> = (value, path) => {
  const d = setStruct(value, path);
  return ValidatorSet.restore(d.validators, d.proposer);
};

/** CBOR-ready form of a chain state. */
export function chainStateToCbor(s: ChainState): Record<string, unknown> {
  return {
    chain_id: s.chainId,
    initial_height: s.initialHeight,
    genesis_time: s.genesisTime,
    last_block_height: s.lastBlockHeight,
    last_block_hash: s.lastBlockHash,
    last_block_time: s.lastBlockTime,
    last_validators: s.lastValidators === null ? null : setToCbor(s.lastValidators),
    validators: setToCbor(s.validators),
    next_validators: setToCbor(s.nextValidators),
    app_hash: s.appHash,
  };
}

const stateStruct = struct({
  chain_id: text,
  initial_height: uint,
  genesis_time: uint,
  last_block_height: uint,
  last_block_hash: bytes(HASH_SIZE),
  last_block_time: uint,
  last_validators: (value, path) => (value === null ? null : setDecoder(value, path)),
  validators: setDecoder,
  next_validators: setDecoder,
  app_hash: bytes(),
});

/** Canonical bytes of a chain state. */
export function encodeChainState(s: ChainState): Uint8Array {
  return encodeCanonical(chainStateToCbor(s));
}

/** Decodes a chain state written by `encodeChainState`. */
export function decodeChainState(data: Uint8Array): ChainState {
  const d = stateStruct(decodeCanonical(data), 'chain_state');
  return {
    chainId: d.chain_id,
    initialHeight: d.initial_height,
    genesisTime: d.genesis_time,
    lastBlockHeight: d.last_block_height,
    lastBlockHash: d.last_block_hash,
    lastBlockTime: d.last_block_time,
    lastValidators: d.last_validators,
    validators: d.validators,
    nextValidators: d.next_validators,
    appHash: d.app_hash,
  };
}

/** The chain state codec a persistent block store is given. */
export const chainStateCodec: ChainStateCodec<ChainState> = Object.freeze({
  encode: encodeChainState,
  decode: decodeChainState,
});
