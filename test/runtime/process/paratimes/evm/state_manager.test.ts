/**
 * The EVM's account view: a contract account's code hash is keccak256 of its code, also when read again
 * (answered from memory) and after the code at an address changes, and an empty account has none.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Address, KECCAK256_NULL } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { RuntimeStateManager } from '../../../../../src/runtime/process/paratimes/evm/state_manager.ts';
import { StateOverlay } from '../../../../../src/state/overlay.ts';

const empty = { get: () => undefined, entries: () => [] };
const address = (tag: number) => new Address(new Uint8Array(20).fill(tag));

describe('EVM state manager accounts', () => {
  it('gives each contract the keccak256 of its current code', async () => {
    const sm = new RuntimeStateManager();
    sm.bind(new StateOverlay(empty));
    const [a, b] = [address(1), address(2)];
    const codeA = new Uint8Array(3000).fill(0x5b);
    const codeB = Uint8Array.of(0x60, 0x00, 0x56);
    await sm.putCode(a, codeA);
    await sm.putCode(b, codeB);
    for (let round = 0; round < 2; round++) {
      assert.deepEqual((await sm.getAccount(a))?.codeHash, keccak_256(codeA), `a, read ${round}`);
      assert.deepEqual((await sm.getAccount(b))?.codeHash, keccak_256(codeB), `b, read ${round}`);
    }
    const replaced = codeA.slice();
    replaced[2999] = 0x00;
    await sm.putCode(a, replaced);
    assert.deepEqual((await sm.getAccount(a))?.codeHash, keccak_256(replaced), 'after the code changed');
    await sm.modifyAccountFields(address(3), { nonce: 1n });
    assert.deepEqual((await sm.getAccount(address(3)))?.codeHash, KECCAK256_NULL, 'no code');
    sm.release();
  });
});
