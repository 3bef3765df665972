/**
 * Sapphire's SUBCALL precompile (`0x0100…0103`, runtime-sdk `precompile/subcall.rs`) for the one call
 * clients need from it: `core.CallDataPublicKey`, which sapphire-paratime fetches with an `eth_call`
 * before encrypting anything. Input is ABI `(bytes method, bytes cborBody)`, output ABI `(uint64 status,
 * bytes data)`: status 0 with the CBOR result, or an error code with the module name. Gas: 10 + 1 per
 * input word, plus the 20 runtime-sdk charges for the internal call. Other methods answer core 3
 * (invalid method); malformed input reverts.
 */
import type { CustomPrecompile, ExecResult, PrecompileInput } from '@ethereumjs/evm';
import { type CborValue, encodeCanonical } from '../../../../codec/cbor.ts';
import { CoreErrorCode } from '../../../protocol/core_errors.ts';
import { abiBytes, encodeStatus, ok, outOfGas, revert, words } from './abi.ts';

/** Address of the SUBCALL precompile. */
export const SUBCALL_ADDRESS = '0x0100000000000000000000000000000000000103';
/** The method served. */
export const CALL_DATA_PUBLIC_KEY_METHOD = 'core.CallDataPublicKey';

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
    if (gas > input.gasLimit) return outOfGas(input.gasLimit);
    const method = abiBytes(input.data, 0);
    const body = abiBytes(input.data, 1);
    if (method === undefined || body === undefined) return revert(gas);
    const name = Buffer.from(method).toString('utf8');
    if (name !== CALL_DATA_PUBLIC_KEY_METHOD || this.#callDataPublicKey === undefined)
      return ok(gas, encodeStatus(CoreErrorCode.invalidMethod, Buffer.from('core')));
    return ok(gas, encodeStatus(0, encodeCanonical(this.#callDataPublicKey)));
  }
}
