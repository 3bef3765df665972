/**
 * Sapphire's confidential precompiles that contracts use through `Sapphire.sol` (runtime-sdk
 * `precompile/confidential.rs`, same addresses, inputs and gas): random bytes (`0x0100…01`), X25519 key
 * derivation (`…02`), Deoxys-II seal (`…03`) and open (`…04`, a bad tag reverts), Curve25519 public key
 * (`…08`), beside the signing (`…05`–`…07`) and gas (`…09`, `…0a`) ones. Random bytes are
 * reproducible by every node: each run's generator is seeded by the runtime from key-manager key material
 * and the run's round and position (never from the machine), then expanded with KMAC256 over a counter and
 * the caller's personalization.
 */
import type { CustomPrecompile, ExecResult, PrecompileInput } from '@ethereumjs/evm';
import { kmac256 } from '@noble/hashes/sha3-addons.js';
import { concatBytes, u64be, utf8 } from '../../../../codec/bytes.ts';
import {
  MRAE_NONCE_SIZE,
  MraeOpenError,
  mraeBoxKey,
  mraeOpen,
  mraeSeal,
  X25519_KEY_SIZE,
  x25519PublicKey,
} from '../../../../crypto/mrae.ts';
import {
  abiBytes,
  abiBytes32,
  abiWord,
  sapphirePrecompileAddress as address,
  failure,
  ok,
  outOfGas,
  revert,
  words,
} from './abi.ts';
import { gasPrecompiles } from './gas_precompiles.ts';
import { signingPrecompiles } from './signing_precompiles.ts';

/** Most random bytes one call returns (runtime-sdk's cap). */
const MAX_RANDOM_BYTES = 1024n;
const RNG_CUSTOMIZATION = utf8('oasis-ts/sapphire: random bytes');

type Run = (input: PrecompileInput) => ExecResult;

function metered(
  gasOf: (input: PrecompileInput) => bigint,
  body: (input: PrecompileInput, gas: bigint) => ExecResult,
): Run {
  return (input) => {
    const gas = gasOf(input);
    return gas > input.gasLimit ? outOfGas(input.gasLimit) : body(input, gas);
  };
}

/** Seal or open with ABI `(bytes32 key, bytes32 nonce, bytes text, bytes ad)`. */
function aead(open: boolean): Run {
  return metered(
    (input) => 100n + 10n * words(input.data.length),
    (input, gas) => {
      const key = abiBytes32(input.data, 0);
      const nonce = abiBytes32(input.data, 1);
      const text = abiBytes(input.data, 2);
      const ad = abiBytes(input.data, 3);
      if (key === undefined || nonce === undefined || text === undefined || ad === undefined)
        return revert(gas);
      const n = nonce.subarray(0, MRAE_NONCE_SIZE);
      if (!open) return ok(gas, mraeSeal(key, n, text, ad));
      try {
        return ok(gas, mraeOpen(key, n, text, ad));
      } catch (err) {
        if (err instanceof MraeOpenError) return revert(gas);
        throw err;
      }
    },
  );
}

/** The confidential precompiles, with the random generator the runtime seeds before each run. */
export class CryptoPrecompiles {
  #seed: Uint8Array | undefined;
  #counter = 0n;

  /** Seeds the generator for the run that follows (from key manager material and the run's position). */
  seed(seed: Uint8Array): void {
    this.#seed = seed;
    this.#counter = 0n;
  }

  /** The precompiles to give the EVM. */
  precompiles(): CustomPrecompile[] {
    return [
      { address: address(1), function: this.#randomBytes },
      {
        address: address(2),
        function: metered(
          () => 1100n,
          (input, gas) => {
            if (input.data.length !== 2 * X25519_KEY_SIZE) return revert(gas);
            const peer = input.data.subarray(0, X25519_KEY_SIZE);
            const secret = input.data.subarray(X25519_KEY_SIZE);
            return ok(gas, mraeBoxKey(secret, peer));
          },
        ),
      },
      { address: address(3), function: aead(false) },
      { address: address(4), function: aead(true) },
      ...signingPrecompiles(),
      {
        address: address(8),
        function: metered(
          () => 1000n,
          (input, gas) =>
            input.data.length === X25519_KEY_SIZE
              ? ok(gas, x25519PublicKey(input.data))
              : failure(input.gasLimit, 'input length must be 32 bytes'),
        ),
      },
      ...gasPrecompiles(),
    ];
  }

  readonly #randomBytes: Run = (input) => {
    const requested = abiWord(input.data, 0);
    const pers = abiBytes(input.data, 1);
    const count = requested === undefined ? 0n : requested > MAX_RANDOM_BYTES ? MAX_RANDOM_BYTES : requested;
    const gas = 10_000n + 240n * words(Number(count)) + 60n * words(pers?.length ?? 0);
    if (gas > input.gasLimit) return outOfGas(input.gasLimit);
    if (requested === undefined || pers === undefined || this.#seed === undefined) return revert(gas);
    const message = concatBytes(u64be(this.#counter++), pers);
    const out =
      count === 0n
        ? new Uint8Array(0)
        : kmac256(this.#seed, message, { personalization: RNG_CUSTOMIZATION, dkLen: Number(count) });
    return ok(gas, out);
  };
}
