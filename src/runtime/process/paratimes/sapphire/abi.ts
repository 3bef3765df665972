/**
 * The little Solidity ABI the Sapphire precompiles speak: head words, dynamic `bytes`, and precompile
 * results. Reads are bounds-checked and return undefined on anything malformed (the precompile reverts).
 */
import { EVMError, type ExecResult } from '@ethereumjs/evm';

/** ABI word size. */
export const WORD = 32;

/** Words needed for `length` bytes. */
export function words(length: number): bigint {
  return BigInt(Math.ceil(length / WORD));
}

/** The `slot`-th head word as an integer; undefined past the end. */
export function abiWord(data: Uint8Array, slot: number): bigint | undefined {
  const at = slot * WORD;
  if (at + WORD > data.length) return undefined;
  return BigInt(`0x${Buffer.from(data.subarray(at, at + WORD)).toString('hex')}`);
}

/** The `slot`-th head word as 32 raw bytes. */
export function abiBytes32(data: Uint8Array, slot: number): Uint8Array | undefined {
  const at = slot * WORD;
  return at + WORD > data.length ? undefined : data.subarray(at, at + WORD);
}

/** Dynamic `bytes` whose offset is head word `slot`. */
export function abiBytes(data: Uint8Array, slot: number): Uint8Array | undefined {
  const offset = abiWord(data, slot);
  if (offset === undefined || offset > BigInt(data.length)) return undefined;
  const length = abiWord(data.subarray(Number(offset)), 0);
  const start = Number(offset) + WORD;
  if (length === undefined || BigInt(start) + length > BigInt(data.length)) return undefined;
  return data.subarray(start, start + Number(length));
}

/** ABI `(uint64 status, bytes data)`. */
export function encodeStatus(status: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 * WORD + Number(words(payload.length)) * WORD);
  const view = new DataView(out.buffer);
  view.setBigUint64(WORD - 8, BigInt(status));
  view.setBigUint64(2 * WORD - 8, BigInt(2 * WORD));
  view.setBigUint64(3 * WORD - 8, BigInt(payload.length));
  out.set(payload, 3 * WORD);
  return out;
}

/** A precompile's successful result. */
export const ok = (gas: bigint, returnValue: Uint8Array): ExecResult => ({
  executionGasUsed: gas,
  returnValue,
});

/** A precompile's revert (empty data), using `gas`. */
export const revert = (gas: bigint): ExecResult => ({
  executionGasUsed: gas,
  returnValue: new Uint8Array(0),
  exceptionError: new EVMError(EVMError.errorMessages.REVERT),
});

/** A precompile error (runtime-sdk's `ExitError::Other`): the call fails and all of `gasLimit` is used. */
export const failure = (gasLimit: bigint, why: string): ExecResult => ({
  executionGasUsed: gasLimit,
  returnValue: new Uint8Array(0),
  exceptionError: new EVMError(why as never),
});

/** Address of Sapphire precompile `n` (`0x01`, zeros, then `n` in the last bytes). */
export const sapphirePrecompileAddress = (n: number): `0x${string}` =>
  `0x01${n.toString(16).padStart(38, '0')}`;

/** Out of gas: all of `gasLimit` is used. */
export const outOfGas = (gasLimit: bigint): ExecResult => ({
  executionGasUsed: gasLimit,
  returnValue: new Uint8Array(0),
  exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS),
});
