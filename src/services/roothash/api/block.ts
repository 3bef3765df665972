/**
 * Runtime block headers (`go/roothash/api/block`): one per runtime round, chained by `previous_hash`,
 * carrying the agreed IO and state roots. The header hash is SHA-512/256 of its canonical CBOR, which the
 * next round's commitments must name.
 */
import { encodeCanonical } from '../../../codec/cbor.ts';
import { field, hexCodec, structCodec, u64Codec, uintCodec } from '../../../codec/typed.ts';
import { EMPTY_HASH, sha512_256 } from '../../../crypto/hash.ts';

/** Header types (`block.HeaderType`). */
export const HeaderType = Object.freeze({ normal: 1, roundFailed: 2, epochTransition: 3, suspended: 4 });

const hash = () => field(hexCodec(32));

/** A runtime block header. */
export const blockHeaderCodec = structCodec({
  version: field(uintCodec),
  namespace: field(hexCodec(32)),
  round: field(u64Codec),
  timestamp: field(u64Codec),
  header_type: field(uintCodec),
  previous_hash: hash(),
  io_root: hash(),
  state_root: hash(),
  messages_hash: hash(),
  in_msgs_hash: hash(),
});

/** A runtime block header (wire field names). */
export type BlockHeader = ReturnType<typeof blockHeaderCodec.decode>;

/** A runtime block (`{header}`). */
export const blockCodec = structCodec({ header: field(blockHeaderCodec) });

/** A runtime block. */
export type Block = ReturnType<typeof blockCodec.decode>;

/** The header's hash, which the next block and every commitment for the next round refer to. */
export function headerHash(h: BlockHeader): Uint8Array {
  return sha512_256(encodeCanonical(blockHeaderCodec.encode(h)));
}

/** The first block of a runtime (`NewGenesisBlock`): a normal header at the genesis round and state root. */
export function genesisBlock(
  namespace: Uint8Array,
  round: bigint,
  stateRoot: Uint8Array,
  time: number,
): Block {
  return {
    header: {
      version: 0,
      namespace,
      round,
      timestamp: BigInt(time),
      header_type: HeaderType.normal,
      previous_hash: EMPTY_HASH,
      io_root: EMPTY_HASH,
      state_root: stateRoot,
      messages_hash: EMPTY_HASH,
      in_msgs_hash: EMPTY_HASH,
    },
  };
}

/** The roots a new block carries; an empty (non-normal) block keeps the previous state root. */
export interface BlockRoots {
  io_root: Uint8Array;
  state_root: Uint8Array;
  messages_hash: Uint8Array;
  in_msgs_hash: Uint8Array;
}

/** The block following `previous` (`NewEmptyBlock` when `roots` is absent): round + 1, chained by hash. */
export function nextBlock(previous: Block, time: number, headerType: number, roots?: BlockRoots): Block {
  const p = previous.header;
  return {
    header: {
      version: p.version,
      namespace: p.namespace,
      round: p.round + 1n,
      timestamp: BigInt(time),
      header_type: headerType,
      previous_hash: headerHash(p),
      io_root: roots?.io_root ?? EMPTY_HASH,
      state_root: roots?.state_root ?? p.state_root,
      messages_hash: roots?.messages_hash ?? EMPTY_HASH,
      in_msgs_hash: roots?.in_msgs_hash ?? EMPTY_HASH,
    },
  };
}
