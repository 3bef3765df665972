/**
 * The SHA-2 precompiles runtime-sdk gives every EVM ParaTime (`precompile/sha2.rs`, `Sapphire.sol`'s
 * `sha512_256`, `sha512`, `sha384`): raw input, raw digest, 115 gas plus 13 per input word.
 */
import type { CustomPrecompile, PrecompileInput } from '@ethereumjs/evm';
import { sha384, sha512, sha512_256 } from '@noble/hashes/sha2.js';
import { ok, outOfGas, sapphirePrecompileAddress, words } from './abi.ts';

function hashing(hash: (data: Uint8Array) => Uint8Array) {
  return (input: PrecompileInput) => {
    const gas = 115n + 13n * words(input.data.length);
    return gas > input.gasLimit ? outOfGas(input.gasLimit) : ok(gas, hash(input.data));
  };
}

/** SHA-512/256 (`0x0100…0101`), SHA-512 (`…0102`) and SHA-384 (`…0104`). */
export function sha2Precompiles(): CustomPrecompile[] {
  return [
    { address: sapphirePrecompileAddress(0x101), function: hashing(sha512_256) },
    { address: sapphirePrecompileAddress(0x102), function: hashing(sha512) },
    { address: sapphirePrecompileAddress(0x104), function: hashing(sha384) },
  ];
}
