/**
 * What the EVM ParaTime refuses, and how: wrong chain ID, bad or replayed nonces, fees the sender cannot
 * pay, gas below the intrinsic cost or above the batch ceiling, a gas price under the floor, garbage,
 * an unknown module scheme — each with the runtime-sdk core code, and the state untouched. Also the
 * mempool check's ordering metadata, and that two independent executions reach the same roots.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Wallet } from 'ethers';
import { encodeCanonical } from '../../../../../src/codec/cbor.ts';
import { contracts } from './fixtures/contracts.ts';
import { alice, bob, CHAIN_ID, carol, ETHER, GWEI, oasisOf, result, setup, signed, wrap } from './helpers.ts';

const CORE = {
  malformed: 1,
  invalidNonce: 4,
  insufficientFee: 5,
  gasOverflow: 11,
  outOfGas: 12,
  gasPriceTooLow: 20,
  futureNonce: 26,
};

describe('EVM ParaTime admission', () => {
  it('refuses bad transactions with core codes and changes nothing', async () => {
    const { root, run } = setup({ minGasPrice: GWEI, maxBatchGas: 5_000_000n });
    const other = new Wallet(`0x${'42'.repeat(32)}`);
    const wrongChain = wrap(
      await other.signTransaction({
        chainId: CHAIN_ID + 1n,
        nonce: 0,
        to: bob.address,
        gasLimit: 50_000n,
        gasPrice: GWEI,
        type: 2,
        maxFeePerGas: GWEI,
        maxPriorityFeePerGas: 0n,
      }),
    );
    const cases: Array<[string, Uint8Array, number]> = [
      ['wrong chain id', wrongChain, CORE.malformed],
      [
        'replayed nonce',
        await signed(alice, { nonce: 0, to: bob.address, gasLimit: 50_000n }),
        CORE.invalidNonce,
      ],
      [
        'nonce ahead',
        await signed(bob, { nonce: 5, to: alice.address, gasLimit: 50_000n }),
        CORE.invalidNonce,
      ],
      [
        'fee beyond balance',
        await signed(carol, { nonce: 0, to: bob.address, gasLimit: 50_000n }),
        CORE.insufficientFee,
      ],
      [
        'gas below intrinsic',
        await signed(bob, { nonce: 0, to: alice.address, gasLimit: 21_000n }),
        CORE.outOfGas,
      ],
      [
        'gas above the batch ceiling',
        await signed(bob, { nonce: 0, to: alice.address, gasLimit: 6_000_000n }),
        CORE.gasOverflow,
      ],
      [
        'price under the floor',
        await signed(bob, { nonce: 0, to: alice.address, gasLimit: 50_000n, gasPrice: GWEI - 1n }),
        CORE.gasPriceTooLow,
      ],
      ['garbage RLP', wrap('0xc0ffee'), CORE.malformed],
      ['unsupported type 3', wrap('0x03c0'), CORE.malformed],
      [
        'unknown module scheme',
        encodeCanonical([Uint8Array.of(1), [{ module: 'evm.other.v9' }]]),
        CORE.malformed,
      ],
    ];
    // Alice's nonce 0 is used first, so that the replay below is a replay.
    const first = await run(root, [await signed(alice, { nonce: 0, to: bob.address, gasLimit: 50_000n })]);
    assert.deepEqual(result(first.results[0]!).ok, new Uint8Array(0));
    const base = first.header.state_root;
    const out = await run(
      base,
      cases.map(([, raw]) => raw),
    );
    cases.forEach(([name, , code], i) => {
      const fail = result(out.results[i]!).fail;
      assert.deepEqual([name, fail?.module, fail?.code], [name, 'core', code], `${name}: ${fail?.message}`);
    });
    assert.deepEqual(out.header.state_root, base, 'nothing changed');
    assert.deepEqual(out.state_write_log, []);
  });

  it('fails a value transfer beyond the balance after fees in the EVM, keeping the fee (evm/2)', async () => {
    const { root, run, balance } = setup();
    const out = await run(root, [
      await signed(alice, { nonce: 0, to: bob.address, value: 1000n * ETHER, gasLimit: 50_000n }),
    ]);
    const fail = result(out.results[0]!).fail!;
    assert.deepEqual([fail.module, fail.code, fail.message], ['evm', 2, 'execution failed: out of funds']);
    assert.equal(balance(out.header.state_root, bob.address), 1000n * ETHER);
    assert.ok(balance(out.header.state_root, alice.address) < 1000n * ETHER);
  });

  it('checks transactions for the mempool with ordering metadata, future nonces included', async () => {
    const { app, store, root, block } = setup();
    const ok = await app.checkTx(
      store.reader(root),
      await signed(alice, { nonce: 0, to: bob.address, gasLimit: 50_000n, gasPrice: 7n * GWEI }),
      block(root),
    );
    assert.deepEqual(ok, {
      error: {},
      meta: { priority: 7n * GWEI, sender: oasisOf(alice.address), sender_seq: 0n },
    });
    const future = await app.checkTx(
      store.reader(root),
      await signed(alice, { nonce: 3, to: bob.address, gasLimit: 50_000n }),
      block(root),
    );
    assert.equal(future.error.code, CORE.futureNonce);
    assert.equal(future.meta?.sender_seq, 3n);
    const broke = await app.checkTx(
      store.reader(root),
      await signed(carol, { nonce: 0, to: bob.address, gasLimit: 50_000n }),
      block(root),
    );
    assert.deepEqual(
      [broke.error.module, broke.error.code, broke.meta],
      ['core', CORE.insufficientFee, undefined],
    );
  });

  it('reaches the same state and IO roots in two independent executions', async () => {
    const batch = [
      await signed(alice, { nonce: 0, data: `${contracts.Counter!.bytecode}${'0'.repeat(63)}1` }),
      await signed(bob, { nonce: 0, to: alice.address, value: 5n }),
      await signed(alice, {
        nonce: 1,
        to: bob.address,
        value: 7n,
        type: 2,
        maxFeePerGas: 2n * GWEI,
        maxPriorityFeePerGas: 1n,
      }),
    ];
    const a = setup();
    const b = setup();
    const ra = await a.run(a.root, batch);
    const rb = await b.run(b.root, batch);
    assert.deepEqual(a.root, b.root);
    assert.deepEqual(ra.header.state_root, rb.header.state_root);
    assert.deepEqual(ra.header.io_root, rb.header.io_root);
    assert.deepEqual(ra.state_write_log, rb.state_write_log);
    assert.notDeepEqual(ra.header.state_root, a.root);
    assert.ok(ra.results.every((r) => result(r).ok !== undefined));
    // And the write log rebuilds the root on a store that never ran the EVM.
    assert.deepEqual(b.store.apply(b.root, ra.state_write_log), ra.header.state_root);
  });
});
