/**
 * Sapphire's gas precompiles (runtime-sdk `precompile/gas.rs`, `Sapphire.gasUsed` / `Sapphire.padGas`):
 * GAS_USED (`0x0100…09`) answers the gas used so far and PAD_GAS (`…0a`) charges up to a target so both
 * branches of a secret-dependent path cost the same. "Used so far" is what runtime-sdk's EVM reports to a
 * precompile: the calling frame's gas used when it made the call (intrinsic gas belongs to the transaction,
 * not the frame) plus the precompile's own; refunds are not deducted.
 *
 * `@ethereumjs/evm` gives precompiles no view of the calling frame, so the interpreter's `run` is wrapped
 * once to keep a stack of running frames per EVM: the caller is the top of that stack when a precompile
 * runs, its gas charged as it stands (the CALL's own costs are taken, the forwarded gas only after the
 * call returns).
 */
import type { CustomPrecompile, ExecResult, PrecompileInput } from '@ethereumjs/evm';
import { Interpreter } from '../evm/interpreter.ts';
import { abiWord, failure, ok, outOfGas, sapphirePrecompileAddress, WORD } from './abi.ts';

const GAS_USED_COST = 10n;
const PAD_GAS_COST = 10n;
const U64_MAX = (1n << 64n) - 1n;
const U128_LIMIT = 1n << 128n;

/** A running interpreter frame: its starting gas and live run state. */
interface Frame {
  start: bigint;
  runState: { gasLeft: bigint };
}

const FRAMES = Symbol('oasis-ts running frames');

interface InterpreterLike {
  _evm: { [FRAMES]?: Frame[] };
  _runState: { gasLeft: bigint };
}

const run = Interpreter.prototype.run;
Interpreter.prototype.run = async function (this: InterpreterLike, ...args: unknown[]) {
  const frames = (this._evm[FRAMES] ??= []);
  frames.push({ start: this._runState.gasLeft, runState: this._runState });
  try {
    return await run.apply(this, args);
  } finally {
    frames.pop();
  }
};

/** Gas the frame that called this precompile had used when it called (0 for a transaction to the precompile). */
function callerGasUsed(input: PrecompileInput): bigint {
  const frames = (input._EVM as unknown as InterpreterLike['_evm'] | undefined)?.[FRAMES];
  const caller = frames?.[frames.length - 1];
  return caller === undefined ? 0n : caller.start - caller.runState.gasLeft;
}

function gasUsed(input: PrecompileInput): ExecResult {
  if (GAS_USED_COST > input.gasLimit) return outOfGas(input.gasLimit);
  let used = callerGasUsed(input) + GAS_USED_COST;
  if (used > U64_MAX) used = U64_MAX;
  const out = new Uint8Array(WORD);
  new DataView(out.buffer).setBigUint64(WORD - 8, used);
  return ok(GAS_USED_COST, out);
}

function padGas(input: PrecompileInput): ExecResult {
  if (PAD_GAS_COST > input.gasLimit) return outOfGas(input.gasLimit);
  const target = abiWord(input.data, 0);
  if (target === undefined || target >= U128_LIMIT) return failure(input.gasLimit, 'invalid ABI input');
  const callerUsed = callerGasUsed(input);
  const used = callerUsed + PAD_GAS_COST;
  const padTo = target > U64_MAX ? U64_MAX : target;
  if (padTo < used) return failure(input.gasLimit, 'gas pad amount less than already used gas');
  const cost = padTo - callerUsed;
  return cost > input.gasLimit ? outOfGas(input.gasLimit) : ok(cost, new Uint8Array(0));
}

/** GAS_USED and PAD_GAS, to give the EVM. */
export function gasPrecompiles(): CustomPrecompile[] {
  return [
    { address: sapphirePrecompileAddress(9), function: gasUsed },
    { address: sapphirePrecompileAddress(10), function: padGas },
  ];
}
