/**
 * Light blocks: what a light client needs to trust a height without the chain — the header, the commit
 * that decided it and the validator set that signed that commit. Declared once here so the gRPC
 * `GetLightBlock` (its `meta` bytes), the p2p light protocol and the light client read the same format.
 */
import { bytesEqual, compareBytes } from '../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, bytes, type Decoder, struct, u64 } from '../../codec/schema.ts';
import { PUBLIC_KEY_SIZE } from '../../crypto/ed25519.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import { CodecError } from '../../errors.ts';
import { type BlockHeader, headerDecoder, headerToCbor } from './block.ts';
import { type Commit, type CommitValidator, commitDecoder, commitToCbor } from './commit.ts';

/** Largest validator set a light block may carry. */
export const MAX_LIGHT_VALIDATORS = 10_000;

/** Largest encoded light block accepted from a peer or a node (bounds what a source can make us decode). */
export const MAX_LIGHT_BLOCK_BYTES = 4 * 1024 * 1024;

/** A header with the commit that decided it and the validators (set order) that signed the commit. */
export interface LightBlock {
  header: BlockHeader;
  commit: Commit;
  validators: CommitValidator[];
}

/**
 * Hash of a validator set as headers record it (`validators_hash`): SHA-512/256 of the canonical CBOR of
 * `[key, power]` pairs in set order. Proposer priorities are left out, as in CometBFT.
 */
export function validatorsHash(validators: readonly CommitValidator[]): Uint8Array {
  return sha512_256(encodeCanonical(validators.map((v) => [v.publicKey, v.power])));
}

/** CBOR-ready form of a light block. */
export function lightBlockToCbor(b: LightBlock): Record<string, unknown> {
  return {
    header: headerToCbor(b.header),
    commit: commitToCbor(b.commit),
    validators: b.validators.map((v) => [v.publicKey, v.power]),
  };
}

const key = bytes(PUBLIC_KEY_SIZE);
const validatorDecoder: Decoder<CommitValidator> = (value, path) => {
  if (!Array.isArray(value) || value.length !== 2) throw new CodecError(path, 'expected [key, power]');
  const power = u64(value[1]!, `${path}[1]`);
  if (power === 0n) throw new CodecError(path, 'validator with zero power');
  return { publicKey: key(value[0]!, `${path}[0]`), power };
};

const lightBlockStruct = struct({
  header: headerDecoder,
  commit: commitDecoder,
  validators: arrayOf(validatorDecoder, MAX_LIGHT_VALIDATORS),
});

/** Strict decoder of a light block; a set with a repeated key is refused (its power would count twice). */
export const lightBlockDecoder: Decoder<LightBlock> = (value, path) => {
  const d = lightBlockStruct(value, path);
  const keys = d.validators.map((v) => v.publicKey).sort(compareBytes);
  keys.forEach((k, i) => {
    if (i > 0 && bytesEqual(keys[i - 1]!, k)) throw new CodecError(`${path}.validators`, 'repeated key');
  });
  return { header: d.header, commit: d.commit, validators: d.validators };
};

/** Canonical CBOR bytes of a light block (the `meta` of `GetLightBlock`). */
export function encodeLightBlock(b: LightBlock): Uint8Array {
  return encodeCanonical(lightBlockToCbor(b));
}

/** Decodes light block bytes (at most `MAX_LIGHT_BLOCK_BYTES`). */
export function decodeLightBlock(data: Uint8Array): LightBlock {
  return lightBlockDecoder(decodeCanonical(data, MAX_LIGHT_BLOCK_BYTES), 'light_block');
}
