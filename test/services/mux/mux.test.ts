import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex } from '../../../src/codec/bytes.ts';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import {
  encodeSignedTransaction,
  openSignedTransaction,
  signTransaction,
} from '../../../src/consensus/api/transaction.ts';
import { RESERVED_PUBLIC_KEYS } from '../../../src/crypto/address.ts';
import { newBlockInfo, ServiceContext } from '../../../src/services/mux/context.ts';
import { fixedIntervalEpochs } from '../../../src/services/mux/epoch.ts';
import { ServiceMux } from '../../../src/services/mux/mux.ts';
import { staticPipelineParameters } from '../../../src/services/mux/params.ts';
import type { ConsensusService } from '../../../src/services/mux/service.ts';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { stakingAuthHandler } from '../../../src/services/staking/auth.ts';
import { memoryState } from '../../../src/state/overlay.ts';
import { addr, CHAIN_CONTEXT, key, makeGenesis, TestChain, testParams } from '../staking/fixture.ts';

const xfer = (to: Uint8Array, amount: bigint) => BodyEncoders.transfer({ to, amount });

function expectError(res: { error?: { module: string; code: number } }, module: string, code: number) {
  assert.deepEqual([res.error?.module, res.error?.code], [module, code], JSON.stringify(res.error));
}

describe('mux transaction pipeline', () => {
  it('refuses oversized transactions with consensus/2 and changes nothing', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]), { maxTxSize: 100 });
    const before = chain.snapshot();
    expectError(chain.deliverOnly(chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n))), 'consensus', 2);
    assert.deepEqual(chain.snapshot(), before);
  });

  it('reports bad signatures and malformed envelopes as unknown/1', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    const raw = chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n));
    const bad = new Uint8Array(raw);
    bad[bad.length - 40]! ^= 1; // inside the signature... or the raw value: either way it must not verify
    const before = chain.snapshot();
    expectError(chain.deliverOnly(bad), 'unknown', 1);
    expectError(chain.deliverOnly(Uint8Array.of(0xff, 0x00)), 'unknown', 1);
    assert.deepEqual(chain.snapshot(), before);
  });

  it('refuses unknown methods before touching fee or nonce (consensus/transaction 5)', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    const before = chain.snapshot();
    const raw = chain.sign(1, 'staking.Teleport', {}, { fee: { amount: 5n, gas: 10_000n } });
    expectError(chain.deliverOnly(raw), 'consensus/transaction', 5);
    assert.deepEqual(chain.snapshot(), before);
  });

  it('checks the nonce (consensus/transaction 1) and fee + min balance (staking/10)', () => {
    const params = testParams({ minTransactBalance: 100n });
    const chain = new TestChain(makeGenesis([[1, 150n]], { params }));
    const before = chain.snapshot();
    expectError(
      chain.deliverOnly(chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { nonce: 3n })),
      'consensus/transaction',
      1,
    );
    const fee = { amount: 51n, gas: 10_000n };
    expectError(
      chain.deliverOnly(chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { fee })),
      'staking',
      10,
    );
    assert.deepEqual(chain.snapshot(), before);
  });

  it('refuses a reserved signer with a plain error', () => {
    const state = memoryState();
    const chain = new TestChain(makeGenesis([[1, 10n]]));
    for (const [k, v] of chain.state.entries(new Uint8Array(0))) state.set(k, v);
    const ctx = new ServiceContext({
      mode: 'deliver',
      block: newBlockInfo(1, 0),
      state,
      epochs: fixedIntervalEpochs(10),
    });
    ctx.txSigner = fromHex(RESERVED_PUBLIC_KEYS[0]!);
    assert.throws(
      () => stakingAuthHandler.authenticateTx(ctx, { nonce: 0n, method: StakingMethods.transfer }),
      /reserved/,
    );
  });

  it('keeps fee and nonce when the method runs out of gas, and drops its writes', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    const raw = chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { fee: { amount: 9n, gas: 500n } });
    const before = chain.snapshot();
    const res = chain.deliverOnly(raw);
    expectError(res, 'unknown', 1);
    assert.match(res.error!.message, /out of gas/);
    assert.equal(res.gasUsed, BigInt(raw.length), 'only tx_byte gas was charged');
    assert.deepEqual(chain.snapshot(), chain.expectedAfterFailure(before, 1, 9n));
  });

  it('enforces the consensus min gas price after taking the fee (consensus/transaction 3)', () => {
    const chain = new TestChain(makeGenesis([[1, 100_000n]]), { minGasPrice: 2n });
    const before = chain.snapshot();
    const res = chain.deliverOnly(
      chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), {
        fee: { amount: 10_000n - 1n, gas: 5_000n },
      }),
    );
    expectError(res, 'consensus/transaction', 3);
    assert.deepEqual(chain.snapshot(), chain.expectedAfterFailure(before, 1, 9_999n));
    const ok = chain.deliverOnly(
      chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { fee: { amount: 20_000n, gas: 5_000n } }),
    );
    assert.equal(ok.error, undefined);
  });

  it('shares the block gas budget between transactions', () => {
    const chain = new TestChain(
      makeGenesis([
        [1, 1000n],
        [2, 1000n],
      ]),
      { maxBlockGas: 2_000n },
    );
    const a = chain.sign(1, StakingMethods.transfer, xfer(addr(3), 5n));
    const b = chain.sign(2, StakingMethods.transfer, xfer(addr(3), 5n));
    const { results } = chain.block([a, b]);
    assert.equal(results[0]!.error, undefined);
    expectError(results[1]!, 'unknown', 1);
  });

  it('the sanity checker catches a broken supply', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    chain.mux.sanityCheck(chain.state);
    const st = chain.staking;
    st.setCommonPool(st.commonPool() + 1n);
    assert.throws(() => chain.mux.sanityCheck(chain.state), /total supply/);
    assert.throws(() => chain.block([]), /total supply/);
  });

  it('estimates gas without changing state', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    const raw = chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n));
    const before = chain.snapshot();
    const gas = chain.mux.estimateGas(chain.state, newBlockInfo(1, 0), raw);
    assert.equal(gas, BigInt(raw.length) + 1000n);
    assert.deepEqual(chain.snapshot(), before);
    // The unsigned form (EstimateGas {signer, transaction}) is sized as if signed with the largest fee
    // gas, so it covers the signed transaction whatever gas is then put in its fee.
    const opened = openSignedTransaction(raw, CHAIN_CONTEXT);
    const unsigned = chain.mux.estimateGasFor(chain.state, newBlockInfo(1, 0), opened.signer, opened.tx);
    assert.ok(unsigned >= gas && unsigned <= gas + 16n, `${unsigned} vs ${gas}`);
  });
});

describe('mux CheckTx', () => {
  it('debits fee and bumps nonce in the check state so the next tx validates', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    const check = memoryState();
    for (const [k, v] of chain.state.entries(new Uint8Array(0))) check.set(k, v);
    const fee = { amount: 10n, gas: 10_000n };
    const first = chain.mux.checkTx(
      check,
      chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { nonce: 0n, fee }),
      1,
    );
    assert.equal(first.error, undefined);
    assert.equal(first.priority, 1000n);
    assert.equal(first.nonce, 0n);
    assert.equal(first.gasWanted, 10_000n);
    const second = chain.mux.checkTx(
      check,
      chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { nonce: 1n, fee }),
      1,
    );
    assert.equal(second.error, undefined);
    const replay = chain.mux.checkTx(
      check,
      chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { nonce: 1n, fee }),
      1,
    );
    expectError(replay, 'consensus/transaction', 1);
    // The transfer itself is not executed in CheckTx; only fees and nonces moved.
    assert.equal(chain.staking.account(addr(1)).general.nonce, 0n);
  });

  it('reports malformed bodies in CheckTx (staking/1) without executing methods', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    const check = memoryState();
    for (const [k, v] of chain.state.entries(new Uint8Array(0))) check.set(k, v);
    const bad = chain.mux.checkTx(
      check,
      chain.sign(1, StakingMethods.transfer, { to: addr(2), amount: 5n }),
      1,
    );
    expectError(bad, 'staking', 1);
    const zero = chain.mux.checkTx(
      check,
      chain.sign(
        1,
        StakingMethods.reclaimEscrow,
        BodyEncoders.reclaimEscrow({ account: addr(2), shares: 0n }),
      ),
      1,
    );
    expectError(zero, 'staking', 1);
    // A transfer beyond the balance passes CheckTx: methods only run in blocks.
    const big = chain.mux.checkTx(check, chain.sign(1, StakingMethods.transfer, xfer(addr(2), 10_000n)), 1);
    assert.equal(big.error, undefined);
  });

  it('applies the local min gas price to others only when gas > 0', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    const mux = new ServiceMux({
      services: [...chain.mux.services],
      authHandler: stakingAuthHandler,
      epochs: fixedIntervalEpochs(10),
      chainContext: CHAIN_CONTEXT,
      parameters: staticPipelineParameters({ maxTxSize: 0, maxBlockGas: 0n, minGasPrice: 0n, gasCosts: {} }),
      localMinGasPrice: 5n,
    });
    const low = mux.checkTx(
      chain.state,
      chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { fee: { amount: 4n, gas: 1n } }),
      1,
    );
    expectError(low, 'consensus/transaction', 3);
    const own = new ServiceMux({
      services: [...chain.mux.services],
      authHandler: stakingAuthHandler,
      epochs: fixedIntervalEpochs(10),
      chainContext: CHAIN_CONTEXT,
      parameters: staticPipelineParameters({ maxTxSize: 0, maxBlockGas: 0n, minGasPrice: 0n, gasCosts: {} }),
      localMinGasPrice: 5n,
      ownTxSigner: key(1).publicKey,
    });
    const mine = own.checkTx(
      chain.state,
      chain.sign(1, StakingMethods.transfer, xfer(addr(2), 5n), { fee: { amount: 4n, gas: 1n } }),
      1,
    );
    assert.equal(mine.error, undefined);
  });
});

describe('mux block structure', () => {
  it('runs begin/end blocks in name order and attaches tx hashes to tx events', () => {
    const log: string[] = [];
    const svc = (name: string, method: string): ConsensusService => ({
      name,
      module: name.slice(4),
      priority: 1n,
      methods: [method],
      beginBlock: () => void log.push(`begin ${name}`),
      endBlock: () => {
        log.push(`end ${name}`);
        return undefined;
      },
      executeTx: (ctx) => {
        log.push(`tx ${name}`);
        ctx.state.set(Uint8Array.of(0x99), Uint8Array.of(1));
        ctx.emit(name, 'did', { ok: true });
      },
    });
    const mux = new ServiceMux({
      services: [svc('300_c', 'c.Do'), svc('000_a', 'a.Do')],
      epochs: fixedIntervalEpochs(10),
      chainContext: CHAIN_CONTEXT,
      parameters: staticPipelineParameters({ maxTxSize: 0, maxBlockGas: 0n, minGasPrice: 0n, gasCosts: {} }),
    });
    const state = memoryState();
    const tx = encodeSignedTransaction(signTransaction(key(1), { nonce: 0n, method: 'c.Do' }, CHAIN_CONTEXT));
    const out = mux.executeBlock(state, {
      height: 1,
      time: 0,
      proposer: new Uint8Array(32),
      lastCommit: [],
      misbehavior: [],
      txs: [tx],
    });
    assert.deepEqual(log, ['begin 000_a', 'begin 300_c', 'tx 300_c', 'end 000_a', 'end 300_c']);
    assert.equal(out.txResults[0]!.events[0]!.txHash?.length, 32);
    assert.deepEqual(state.get(Uint8Array.of(0x99)), Uint8Array.of(1));
    assert.throws(
      () =>
        new ServiceMux({
          services: [svc('000_a', 'x'), svc('000_a', 'y')],
          epochs: fixedIntervalEpochs(1),
          chainContext: CHAIN_CONTEXT,
          parameters: staticPipelineParameters({
            maxTxSize: 0,
            maxBlockGas: 0n,
            minGasPrice: 0n,
            gasCosts: {},
          }),
        }),
    );
  });

  it('nested contexts commit on return and drop writes and events on throw', () => {
    const state = memoryState();
    const ctx = new ServiceContext({
      mode: 'deliver',
      block: newBlockInfo(1, 0),
      state,
      epochs: fixedIntervalEpochs(10),
    });
    ctx.nested((c) => {
      c.state.set(Uint8Array.of(1), Uint8Array.of(1));
      c.emit('m', 'k', 1);
    });
    assert.throws(() =>
      ctx.nested((c) => {
        c.state.set(Uint8Array.of(2), Uint8Array.of(2));
        c.emit('m', 'k', 2);
        throw new Error('boom');
      }),
    );
    assert.deepEqual(state.get(Uint8Array.of(1)), Uint8Array.of(1));
    assert.equal(state.get(Uint8Array.of(2)), undefined);
    assert.deepEqual(
      ctx.events.map((e) => e.value),
      [1],
    );
    assert.ok(encodeCanonical(ctx.events[0]!.value));
  });
});
