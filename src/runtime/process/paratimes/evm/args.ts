/**
 * Decoding the arguments of `evm` queries as runtime-sdk does: `U256` is a big-endian bstr of at most 32
 * bytes (leading zeros allowed: the web3 gateway sends `[0]` for zero); a bad argument is evm/1.
 */
import type { CborValue } from '../../../../codec/cbor.ts';
import type { Decoder } from '../../../../codec/schema.ts';
import { CodecError } from '../../../../errors.ts';
import { EvmErrorCode, evmError } from './params.ts';

/** A `U256` argument. */
export const u256: Decoder<bigint> = (value, path) => {
  if (!(value instanceof Uint8Array) || value.length > 32)
    throw new CodecError(path, 'expected a big-endian byte string of at most 32 bytes');
  let out = 0n;
  for (const b of value) out = (out << 8n) | BigInt(b);
  return out;
};

/** Decodes query arguments; failures are evm/1. */
export function decodeArgs<T>(decoder: Decoder<T>, args: CborValue): T {
  try {
    return decoder(args, 'args');
  } catch (err) {
    throw evmError(EvmErrorCode.invalidArgument, `invalid argument: ${(err as Error).message}`);
  }
}
