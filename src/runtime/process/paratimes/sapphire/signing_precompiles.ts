/**
 * Sapphire's signing precompiles (runtime-sdk `precompile/confidential.rs`, used by `Sapphire.sol`
 * `generateSigningKeyPair`, `sign` and `verify`): key-pair generation (`0x0100…05`), signing (`…06`) and
 * verification (`…07`), at the runtime's gas per scheme (a base plus, for schemes that hash the message
 * here, a cost per word of the whole input). As in the runtime, malformed input or an unusable key is an
 * EVM error that uses the call's gas, while a signature that does not verify answers `false`.
 */
import type { CustomPrecompile, ExecResult, PrecompileInput } from '@ethereumjs/evm';
import { abiBytes, abiWord, failure, ok, outOfGas, sapphirePrecompileAddress, WORD, words } from './abi.ts';
import { generateKeyPair, SigningError, sign, verify } from './signing.ts';

/** Gas of key-pair generation, by scheme. */
const GENERATE_GAS: ReadonlyMap<number, bigint> = new Map([
  [0, 1_000n],
  [1, 1_000n],
  [2, 1_000n],
  [3, 1_500n],
  [4, 1_500n],
  [5, 1_500n],
  [7, 4_000n],
  [8, 18_000n],
]);

/** Gas of signing, by scheme: [base, per input word]. */
const SIGN_GAS: ReadonlyMap<number, readonly [bigint, bigint]> = new Map([
  [0, [1_500n, 8n]],
  [1, [1_500n, 8n]],
  [2, [1_500n, 0n]],
  [3, [3_000n, 8n]],
  [4, [3_000n, 0n]],
  [5, [3_000n, 0n]],
  [7, [9_000n, 0n]],
  [8, [43_200n, 0n]],
]);

/** Gas of verification, by scheme: [base, per input word]. */
const VERIFY_GAS: ReadonlyMap<number, readonly [bigint, bigint]> = new Map([
  [0, [2_000n, 8n]],
  [1, [2_000n, 8n]],
  [2, [2_000n, 0n]],
  [3, [3_000n, 8n]],
  [4, [3_000n, 0n]],
  [5, [3_000n, 0n]],
  [7, [7_900n, 0n]],
  [8, [37_920n, 0n]],
]);

/** Reads `count` dynamic `bytes` arguments after the scheme word; undefined when malformed. */
function readArgs(data: Uint8Array, count: number): { alg: bigint; args: Uint8Array[] } | undefined {
  const alg = abiWord(data, 0);
  if (alg === undefined) return undefined;
  const args: Uint8Array[] = [];
  for (let slot = 1; slot <= count; slot++) {
    const arg = abiBytes(data, slot);
    if (arg === undefined) return undefined;
    args.push(arg);
  }
  return { alg, args };
}

/**
 * Decodes, looks up the scheme's gas (unknown schemes fail before any gas is charged, as in the runtime),
 * charges it, then runs `body`; a `SigningError` from `body` is a failure using all gas.
 */
function signingPrecompile(
  count: number,
  gasOf: (alg: number, input: PrecompileInput) => bigint | undefined,
  body: (alg: number, args: Uint8Array[]) => Uint8Array,
) {
  return (input: PrecompileInput): ExecResult => {
    const decoded = readArgs(input.data, count);
    if (decoded === undefined) return failure(input.gasLimit, 'invalid ABI input');
    const alg = decoded.alg > 255n ? -1 : Number(decoded.alg);
    const gas = gasOf(alg, input);
    if (gas === undefined) return failure(input.gasLimit, 'unknown signature type');
    if (gas > input.gasLimit) return outOfGas(input.gasLimit);
    try {
      return ok(gas, body(alg, decoded.args));
    } catch (err) {
      if (err instanceof SigningError) return failure(input.gasLimit, err.message);
      throw err;
    }
  };
}

const linear =
  (table: ReadonlyMap<number, readonly [bigint, bigint]>) => (alg: number, input: PrecompileInput) => {
    const cost = table.get(alg);
    return cost === undefined ? undefined : cost[0] + cost[1] * words(input.data.length);
  };

/** ABI `(bytes, bytes)`. */
function encodeTwoBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const padded = (n: number) => Number(words(n)) * WORD;
  const out = new Uint8Array(4 * WORD + padded(a.length) + padded(b.length));
  const view = new DataView(out.buffer);
  const second = 2 * WORD + WORD + padded(a.length);
  view.setBigUint64(WORD - 8, BigInt(2 * WORD));
  view.setBigUint64(2 * WORD - 8, BigInt(second));
  view.setBigUint64(3 * WORD - 8, BigInt(a.length));
  out.set(a, 3 * WORD);
  view.setBigUint64(second + WORD - 8, BigInt(b.length));
  out.set(b, second + WORD);
  return out;
}

/** ABI `(bool)`. */
function encodeBool(value: boolean): Uint8Array {
  const out = new Uint8Array(WORD);
  out[WORD - 1] = value ? 1 : 0;
  return out;
}

/** The three signing precompiles to give the EVM. */
export function signingPrecompiles(): CustomPrecompile[] {
  return [
    {
      address: sapphirePrecompileAddress(5),
      function: signingPrecompile(
        1,
        (alg) => GENERATE_GAS.get(alg),
        (alg, [seed]) => {
          const pair = generateKeyPair(alg, seed!);
          return encodeTwoBytes(pair.publicKey, pair.secretKey);
        },
      ),
    },
    {
      address: sapphirePrecompileAddress(6),
      function: signingPrecompile(3, linear(SIGN_GAS), (alg, [secret, ctx, message]) =>
        sign(alg, secret!, ctx!, message!),
      ),
    },
    {
      address: sapphirePrecompileAddress(7),
      function: signingPrecompile(4, linear(VERIFY_GAS), (alg, [publicKey, ctx, message, signature]) =>
        encodeBool(verify(alg, publicKey!, ctx!, message!, signature!)),
      ),
    },
  ];
}
