/**
 * Remembers the interpreter's jump-destination analysis per contract code. `@ethereumjs/evm` scans the
 * whole code of a contract (valid JUMPDESTs, PUSH immediates, opcode table lookups) at the first jump of
 * every call into it: for an ERC-20 transfer that scan was the largest single cost in the EVM (~4 % of a
 * transfer's execution, more with the garbage it leaves). The analysis is a pure function of the code and
 * the EVM's opcode set, and the interpreter only reads it, so one result per (EVM, code array) serves every
 * call; the state layer hands out one shared array per stored code value (`state.ts`), so repeated calls to
 * a contract hit. Keys are weak: code that is no longer referenced (old trees, init code) is collected.
 */
import { Interpreter } from './interpreter.ts';

const analyse = Interpreter.prototype._getValidJumpDestinations;
const byEvm = new WeakMap<object, WeakMap<Uint8Array, unknown>>();

Interpreter.prototype._getValidJumpDestinations = function (this: { _evm: object }, code: Uint8Array) {
  let byCode = byEvm.get(this._evm);
  if (byCode === undefined) byEvm.set(this._evm, (byCode = new WeakMap()));
  let analysis = byCode.get(code);
  if (analysis === undefined) {
    analysis = analyse.call(this, code);
    byCode.set(code, analysis);
  }
  return analysis;
};
