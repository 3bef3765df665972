import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEVM, type EVM } from '@ethereumjs/evm';
import { Interpreter } from '../../../../../src/runtime/process/paratimes/evm/interpreter.ts';
import '../../../../../src/runtime/process/paratimes/evm/jump_analysis.ts';

interface Analysis {
  jumps: Uint8Array;
  pushes: Record<number, bigint>;
}

// PUSH1 0x04, JUMP, INVALID, JUMPDEST, PUSH2 0x0102, STOP
const CODE = Uint8Array.from([0x60, 0x04, 0x56, 0xfe, 0x5b, 0x61, 0x01, 0x02, 0x00]);

/** The analysis as an interpreter of `evm` runs it (the receiver carries what the analysis reads). */
function analyse(evm: EVM, code: Uint8Array): Analysis {
  const receiver = Object.assign(Object.create(Interpreter.prototype as object), {
    _evm: evm,
    common: evm.common,
  });
  return Interpreter.prototype._getValidJumpDestinations.call(receiver, code) as Analysis;
}

describe('jump analysis memo', () => {
  it('answers one analysis per code array and EVM, equal to a fresh one', async () => {
    const evm = await createEVM();
    const first = analyse(evm, CODE);
    assert.deepEqual([...first.jumps], [0, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert.equal(first.pushes[1], 4n);
    assert.equal(first.pushes[6], 0x0102n);
    assert.equal(analyse(evm, CODE), first, 'the same code array hits the memo');
    const copy = analyse(evm, CODE.slice());
    assert.notEqual(copy, first, 'another array is analysed on its own');
    assert.deepEqual(copy, first);
    assert.notEqual(analyse(await createEVM(), CODE), first, 'each EVM keeps its own');
  });
});
