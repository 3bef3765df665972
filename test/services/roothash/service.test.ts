import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import { HeaderType, headerHash } from '../../../src/services/roothash/api/block.ts';
import { signExecutorCommitment } from '../../../src/services/roothash/api/commitment.ts';
import { stakingMessage } from '../../../src/services/roothash/api/messages.ts';
import { RoothashMethods } from '../../../src/services/roothash/api/methods.ts';
import { RoothashQueries } from '../../../src/services/roothash/api/queries.ts';
import { RoothashStateReader } from '../../../src/services/roothash/state.ts';
import { addr, key, nodeKeys } from '../registry/fixture.ts';
import { expectFailure, expectOk } from '../registry/helpers.ts';
import { CHAIN_CONTEXT } from '../staking/fixture.ts';
import {
  type ChainOptions,
  COMPUTE_NODES,
  commitBody,
  commitment,
  committeeNodes,
  INCORRECT_RESULTS_PENALTY,
  latestHeader,
  nextScheduler,
  RUNTIME,
  RUNTIME_ADDRESS,
  roothashChain,
  roots,
  runUntil,
  submit,
} from './fixture.ts';

const entityOf = (n: number) => key(COMPUTE_NODES.get(n)!).publicKey;
const escrowOf = (c: ReturnType<typeof roothashChain>, n: number) =>
  c.staking.account(addressFromPublicKey(entityOf(n))).escrow.active.balance;
const kinds = (events: Array<{ module: string; kind: string }>) =>
  events.filter((e) => e.module === 'roothash').map((e) => e.kind);

/** A chain in epoch 1 with the committee elected; returns it with the round's scheduler and other worker. */
function epochOneChain(roundTimeout = 2n, runtime?: ChainOptions['runtime']) {
  const c = roothashChain({ roundTimeout, ...(runtime ? { runtime } : {}) });
  c.advanceToEpoch(1n);
  const scheduler = nextScheduler(c);
  const { workers, backups } = committeeNodes(c);
  const other = workers.find((w) => w !== scheduler)!;
  return { c, scheduler, other, backup: backups[0]! };
}

describe('roothash runtime blocks', () => {
  it('gives the registered runtime a genesis block, then an epoch transition block when a committee forms', () => {
    const c = roothashChain();
    const genesis = RoothashQueries.getGenesisBlock(c.state, RUNTIME) as { header: { round: bigint } };
    assert.equal(genesis.header.round, 0n);
    assert.equal(latestHeader(c).header_type, HeaderType.normal);
    c.advanceToEpoch(1n);
    const h = latestHeader(c);
    assert.equal(h.header_type, HeaderType.epochTransition);
    assert.equal(h.round, 1n);
    const gen = new RoothashStateReader(c.state).runtimeState(RUNTIME)!.genesis_block.header;
    assert.deepEqual(h.previous_hash, headerHash(gen));
    assert.throws(() => RoothashQueries.getLatestBlock(c.state, new Uint8Array(32).fill(9)), {
      module: 'roothash',
      code: 2,
    });
  });
});

describe('roothash rounds', () => {
  it('finalizes a normal block with the roots when all workers agree', () => {
    const { c, scheduler, other } = epochOneChain();
    const first = submit(c, [commitment(c, scheduler)]);
    expectOk(first.results[0]!);
    assert.deepEqual(kinds(first.results[0]!.events), ['executor_committed']);
    assert.equal(first.results[0]!.gasUsed, 1000n, 'compute_commit gas');
    const armed = new RoothashStateReader(c.state).runtimeState(RUNTIME)!;
    assert.equal(armed.timeout, BigInt(c.height - 1) + 2n, 'the first commitment arms the round timer');

    const second = submit(c, [commitment(c, other)]);
    expectOk(second.results[0]!);
    assert.deepEqual(kinds(second.results[0]!.events), ['executor_committed', 'finalized']);
    const h = latestHeader(c);
    const want = roots('honest');
    assert.equal(h.header_type, HeaderType.normal);
    assert.equal(h.round, 2n);
    assert.deepEqual(h.state_root, want.state_root);
    assert.deepEqual(h.io_root, want.io_root);
    const rs = new RoothashStateReader(c.state).runtimeState(RUNTIME)!;
    assert.equal(rs.timeout, 0n);
    assert.equal(rs.last_normal_round, 2n);
    assert.deepEqual(RoothashQueries.getRoundRoots(c.state, RUNTIME, 2n), [want.state_root, want.io_root]);
    const results = RoothashQueries.getLastRoundResults(c.state, RUNTIME) as {
      good_compute_entities: Uint8Array[];
    };
    assert.deepEqual(
      results.good_compute_entities.map(toHex).sort(),
      [entityOf(scheduler), entityOf(other)].map(toHex).sort(),
    );
  });

  it('re-arms the round timer when a better-ranked scheduler commits', () => {
    const { c, scheduler, other } = epochOneChain();
    const reader = () => new RoothashStateReader(c.state).runtimeState(RUNTIME)!;
    submit(c, [commitment(c, scheduler, { scheduler: other })]);
    assert.equal(reader().pool?.highest_rank, 1n);
    const first = reader().timeout;
    c.block();
    assert.equal(reader().timeout, first, 'the timer stays until a better rank shows up');
    const better = submit(c, [commitment(c, scheduler)]);
    expectOk(better.results[0]!);
    assert.equal(reader().pool?.highest_rank, 0n);
    assert.equal(reader().timeout, BigInt(c.height - 1) + 2n);
    assert.ok(reader().timeout > first);
  });

  it('tolerates a failing straggler within allowed_stragglers; failure reports carry no results', () => {
    const { c, scheduler, other } = epochOneChain(2n, (rt) => {
      rt.executor.allowed_stragglers = 1;
    });
    const withRoots = { ...commitment(c, other), header: { ...commitment(c, other).header, failure: 2 } };
    const resigned = signExecutorCommitment(nodeKeys(other).node, RUNTIME, CHAIN_CONTEXT, withRoots.header);
    expectFailure(
      c,
      key(1),
      RoothashMethods.executorCommit,
      commitBody([resigned]),
      'roothash/commitment',
      11,
    );
    c.closeOpenBlock();
    expectOk(submit(c, [commitment(c, other, { failure: 2 })]).results[0]!);
    assert.equal(latestHeader(c).round, 1n, 'a failure alone decides nothing');
    const done = submit(c, [commitment(c, scheduler)]);
    assert.deepEqual(kinds(done.results[0]!.events), ['executor_committed', 'finalized']);
    assert.equal(latestHeader(c).header_type, HeaderType.normal);
  });

  it('resolves a wrong result through the backup and slashes the faulty entity', () => {
    const { c, scheduler, other, backup } = epochOneChain();
    const before = escrowOf(c, other);
    submit(c, [commitment(c, scheduler)]);
    const wrong = submit(c, [commitment(c, other, { variant: 'wrong' })]);
    expectOk(wrong.results[0]!);
    assert.deepEqual(kinds(wrong.results[0]!.events), ['executor_committed', 'execution_discrepancy']);
    const rs = new RoothashStateReader(c.state).runtimeState(RUNTIME)!;
    assert.equal(rs.pool?.discrepancy, true);
    assert.equal(rs.timeout, BigInt(c.height - 1) + 3n, 'backups get 1.5 × the round timeout');
    assert.equal(latestHeader(c).round, 1n);

    const resolved = submit(c, [commitment(c, backup)]);
    expectOk(resolved.results[0]!);
    const h = latestHeader(c);
    assert.equal(h.header_type, HeaderType.normal);
    assert.deepEqual(h.state_root, roots('honest').state_root);
    const results = RoothashQueries.getLastRoundResults(c.state, RUNTIME) as {
      bad_compute_entities: Uint8Array[];
    };
    assert.deepEqual(results.bad_compute_entities, [entityOf(other)]);
    assert.equal(escrowOf(c, other), before - INCORRECT_RESULTS_PENALTY.amount);
    assert.equal(escrowOf(c, scheduler), 1000n);
    const status = c.registry.nodeStatus(nodeKeys(other).node.publicKey);
    assert.equal(status.freeze_end_time, c.epoch + INCORRECT_RESULTS_PENALTY.freeze_interval);
  });

  it('rewards the entities with the right results from the slashed stake (reward_bad_results)', () => {
    const { c, scheduler, other, backup } = epochOneChain(2n, (rt) => {
      rt.staking.reward_bad_results = 50;
    });
    const general = (n: number) => c.staking.account(addressFromPublicKey(entityOf(n))).general.balance;
    const [s0, o0, b0] = [general(scheduler), general(other), general(backup)];
    const pool0 = c.staking.commonPool();
    submit(c, [commitment(c, scheduler)]);
    submit(c, [commitment(c, other, { variant: 'wrong' })]);
    submit(c, [commitment(c, backup)]);
    assert.equal(latestHeader(c).header_type, HeaderType.normal);
    assert.equal(general(scheduler), s0 + 25n);
    assert.equal(general(backup), b0 + 25n);
    assert.equal(general(other), o0);
    assert.equal(c.staking.commonPool(), pool0 + 50n);
  });

  it('on a missing worker, times out into discrepancy and lets the backup resolve', () => {
    const { c, scheduler, backup } = epochOneChain();
    submit(c, [commitment(c, scheduler)]);
    const timeout = new RoothashStateReader(c.state).runtimeState(RUNTIME)!.timeout;
    while (BigInt(c.height) < timeout) c.block();
    const fired = c.block();
    const discrepancy = fired.events.find((e) => e.kind === 'execution_discrepancy');
    assert.ok(discrepancy !== undefined, 'the timeout detected a discrepancy');
    assert.equal((discrepancy.value as { timeout: boolean }).timeout, true);
    assert.equal(latestHeader(c).round, 1n);
    submit(c, [commitment(c, backup)]);
    assert.equal(latestHeader(c).header_type, HeaderType.normal);
    assert.equal(latestHeader(c).round, 2n);
  });

  it('fails the round when nobody resolves it before the backup timeout', () => {
    const { c, scheduler } = epochOneChain(1n);
    submit(c, [commitment(c, scheduler)]);
    runUntil(c, new RoothashStateReader(c.state).runtimeState(RUNTIME)!.timeout);
    const stretched = new RoothashStateReader(c.state).runtimeState(RUNTIME)!.timeout;
    assert.ok(stretched > 0n);
    runUntil(c, stretched);
    const h = latestHeader(c);
    assert.equal(h.header_type, HeaderType.roundFailed);
    assert.equal(h.round, 2n);
    assert.deepEqual(h.state_root, latestHeaderStateRootAtEpochStart());
    // The next round builds on the failed block.
    const next = submit(c, [commitment(c, nextScheduler(c))]);
    expectOk(next.results[0]!);
  });
});

/** The runtime genesis state root (all zero), kept by empty blocks. */
function latestHeaderStateRootAtEpochStart(): Uint8Array {
  return new Uint8Array(32);
}

describe('roothash runtime messages', () => {
  const transfer = (amount: bigint) => stakingMessage({ transfer: { to: addr(9), amount } });

  it('moves tokens out of the runtime account with the round, and records each result', () => {
    const { c, scheduler, other } = epochOneChain();
    const messages = [transfer(300n), transfer(5000n)];
    submit(c, [commitment(c, scheduler, { messages })]);
    const done = submit(c, [commitment(c, other, { hashOf: messages })]);
    expectOk(done.results[0]!);
    assert.equal(c.staking.account(RUNTIME_ADDRESS).general.balance, 700n);
    assert.equal(c.staking.account(addr(9)).general.balance, 300n);
    const results = RoothashQueries.getLastRoundResults(c.state, RUNTIME) as {
      messages: Array<{ module?: string; code?: number; index?: number }>;
    };
    assert.equal(results.messages.length, 2);
    assert.equal(results.messages[0]!.code, undefined, 'the first transfer succeeded');
    assert.equal(results.messages[1]!.index, 1);
    assert.ok((results.messages[1]!.code ?? 0) > 0, 'the overdraft failed with a code');
    assert.deepEqual(latestHeader(c).messages_hash, roots('honest', messages).messages_hash);
  });

  it("pays each message's consensus fee from the runtime's account, refusing what it cannot pay", () => {
    const c = roothashChain({ roundTimeout: 2n, minGasPrice: 1n, runtimeBalance: 5000n });
    c.advanceToEpoch(1n);
    const scheduler = nextScheduler(c);
    const other = committeeNodes(c).workers.find((w) => w !== scheduler)!;
    const messages = [transfer(300n), transfer(3000n), transfer(2700n), transfer(1n)];
    const first = submit(c, [commitment(c, scheduler, { messages })]);
    expectOk(first.results[0]!);
    assert.equal(first.results[0]!.gasUsed, 1000n, 'the commit pays compute_commit only, not its messages');
    expectOk(submit(c, [commitment(c, other, { hashOf: messages })]).results[0]!);
    // Transfer gas is 1000 at price 1. 5000 → 3700 after the first (fee + 300); the second's transfer
    // fails after its fee, so both are undone (3700); the third spends exactly the rest (1000 + 2700);
    // the fourth cannot pay its fee.
    assert.equal(c.staking.account(RUNTIME_ADDRESS).general.balance, 0n);
    assert.equal(c.staking.account(addr(9)).general.balance, 3000n);
    const results = RoothashQueries.getLastRoundResults(c.state, RUNTIME) as {
      messages: Array<{ module?: string; code?: number }>;
    };
    assert.deepEqual(
      results.messages.map((m) => [m.module ?? '', m.code ?? 0]),
      [
        ['', 0],
        ['unknown', 1],
        ['', 0],
        ['staking', 3],
      ],
    );
  });

  it('rejects messages that do not match the committed hash or exceed the limit', () => {
    const { c, scheduler } = epochOneChain();
    const res = submit(c, [commitment(c, scheduler, { messages: [transfer(1n)], hashOf: [] })]);
    assert.equal(res.results[0]!.error?.module, 'roothash/commitment');
    assert.equal(res.results[0]!.error?.code, 13);
    const many = Array.from({ length: 33 }, () => transfer(1n));
    const tooMany = submit(c, [commitment(c, scheduler, { messages: many })]);
    assert.equal(tooMany.results[0]!.error?.code, 13);
  });
});

describe('roothash commitment checks', () => {
  it('rejects bad signatures, non-members, stale rounds, unknown runtimes and duplicates, changing nothing', () => {
    const { c, scheduler, other } = epochOneChain();
    const good = commitment(c, scheduler);
    const forged = { ...good, sig: new Uint8Array(64).fill(1) };
    expectFailure(c, key(1), RoothashMethods.executorCommit, commitBody([forged]), 'roothash/commitment', 11);
    const outsider = commitment(c, 1);
    expectFailure(
      c,
      key(1),
      RoothashMethods.executorCommit,
      commitBody([outsider]),
      'roothash/commitment',
      5,
    );
    const stale = commitment(c, scheduler, { round: 1n });
    expectFailure(c, key(1), RoothashMethods.executorCommit, commitBody([stale]), 'roothash/commitment', 7);
    const notScheduler = commitment(c, scheduler, { scheduler: 1 });
    expectFailure(
      c,
      key(1),
      RoothashMethods.executorCommit,
      commitBody([notScheduler]),
      'roothash/commitment',
      11,
    );
    const elsewhere = commitBody([good], new Uint8Array(32).fill(7));
    expectFailure(c, key(1), RoothashMethods.executorCommit, elsewhere, 'roothash', 3);
    // One bad commitment rejects the whole batch.
    const mixed = commitBody([good, forged]);
    expectFailure(c, key(1), RoothashMethods.executorCommit, mixed, 'roothash/commitment', 11);
    c.closeOpenBlock();
    expectOk(submit(c, [good]).results[0]!);
    const again = submit(c, [good]);
    assert.equal(again.results[0]!.error?.code, 6);
    assert.ok(other > 0);
  });
});
