/**
 * Sapphire's SUBCALL precompile (`0x0100…0103`, runtime-sdk `precompile/subcall.rs`) for the one call
 * clients need from it: `core.CallDataPublicKey`, which sapphire-paratime fetches with an `eth_call`
 * before encrypting anything. Input is ABI `(bytes method, bytes cborBody)`, output ABI `(uint64 status,
 * bytes data)`: status 0 with the CBOR result, or an error code with the module name. Gas: 10 + 1 per
 * input word, plus the 20 runtime-sdk charges for the internal call. Other methods answer core 3
 * (invalid method); malformed input reverts.
 */
import { type CustomPrecompile, EVMError, type ExecResult, type PrecompileInput } from '@ethereumjs/evm';
import { type CborValue, encodeCanonical } from '../../../../codec/cbor.ts';
import { CoreErrorCode } from '../../../protocol/core_errors.ts';

/** Address of the SUBCALL precompile. */
export const SUBCALL_ADDRESS = '0x0100000000000000000000000000000000000103';
/** The method served. */
export const CALL_DATA_PUBLIC_KEY_METHOD = 'core.CallDataPublicKey';

const WORD = 32;

function words(length: number): bigint {
  return BigInt(Math.ceil(length / WORD));
}

/** Reads ABI dynamic `bytes` whose offset sits in head word `slot`; undefined when out of bounds. */
function abiBytes(data: Uint8Array, slot: number): Uint8Array | undefined {
  const view = (at: number) =>
    at + WORD <= data.length
      ? Buffer.from(data.subarray(at, at + WORD)).readBigUInt64BE(WORD - 8)
      : undefined;
  const offset = view(slot * WORD);
  if (offset === undefined || offset > BigInt(data.length)) return undefined;
  const length = view(Number(offset));
  const start = Number(offset) + WORD;
  if (length === undefined || BigInt(start) + length > BigInt(data.length)) return undefined;
  return data.subarray(start, start + Number(length));
}

/** ABI `(uint64 status, bytes data)`. */
function encodeStatus(status: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 * WORD + Number(words(payload.length)) * WORD);
  const view = new DataView(out.buffer);
  view.setBigUint64(WORD - 8, BigInt(status));
  view.setBigUint64(2 * WORD - 8, BigInt(2 * WORD));
  view.setBigUint64(3 * WORD - 8, BigInt(payload.length));
  out.set(payload, 3 * WORD);
  return out;
}

/** The SUBCALL precompile, answering with the call-data public key the runtime set for the current run. */
export class SubcallPrecompile {
  #callDataPublicKey: CborValue | undefined;

  /** The `core.CallDataPublicKey` answer for the runs that follow. */
  setCallDataPublicKey(response: CborValue): void {
    this.#callDataPublicKey = response;
  }

  /** The precompile to give the EVM. */
  precompile(): CustomPrecompile {
    return { address: SUBCALL_ADDRESS, function: (input) => this.#run(input) };
  }

  #run(input: PrecompileInput): ExecResult {
    const gas = 10n + words(input.data.length) + 20n;
    if (gas > input.gasLimit)
      return {
        executionGasUsed: input.gasLimit,
        returnValue: new Uint8Array(0),
        exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS),
      };
    const method = abiBytes(input.data, 0);
    const body = abiBytes(input.data, 1);
    if (method === undefined || body === undefined)
      return {
        executionGasUsed: gas,
        returnValue: new Uint8Array(0),
        exceptionError: new EVMError(EVMError.errorMessages.REVERT),
      };
    const name = Buffer.from(method).toString('utf8');
    if (name !== CALL_DATA_PUBLIC_KEY_METHOD || this.#callDataPublicKey === undefined)
      return {
        executionGasUsed: gas,
        returnValue: encodeStatus(CoreErrorCode.invalidMethod, Buffer.from('core')),
      };
    return { executionGasUsed: gas, returnValue: encodeStatus(0, encodeCanonical(this.#callDataPublicKey)) };
  }
}
