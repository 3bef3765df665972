/**
 * Runtime messages beyond transfers and withdrawals (oasis-core `go/roothash/api/message`): a round's
 * escrow and reclaim by the runtime's account (only under `allow_escrow_messages`), and governance
 * proposals and votes by it (a vote needs `allow_vote_without_entity` and a delegation to a validator);
 * each refused one is recorded with its module's code and changes nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical } from '../../../src/codec/cbor.ts';
import { quantityFromBytes } from '../../../src/codec/quantity.ts';
import { Vote } from '../../../src/services/governance/api/proposal.ts';
import { GovernanceStateReader } from '../../../src/services/governance/state.ts';
import { GovernanceModel } from '../../../src/services/registry/api/runtime.ts';
import { RegistryStateReader } from '../../../src/services/registry/state.ts';
import {
  governanceMessage,
  type RuntimeMessage,
  stakingMessage,
  updateRuntimeMessage,
} from '../../../src/services/roothash/api/messages.ts';
import { RoothashQueries } from '../../../src/services/roothash/api/queries.ts';
import { governanceParams } from '../governance/fixture.ts';
import { addr, EPOCH_INTERVAL } from '../registry/fixture.ts';
import { expectOk } from '../registry/helpers.ts';
import {
  type ChainOptions,
  commitment,
  committeeNodes,
  nextScheduler,
  RUNTIME,
  RUNTIME_ADDRESS,
  roothashChain,
  submit,
} from './fixture.ts';

type Result = { module: string; code: number; result: unknown };

/** A chain at epoch 1 (a committee elected); `round` runs one round carrying `messages`. */
function chainAtEpochOne(o: ChainOptions) {
  const c = roothashChain({ runtimeBalance: 10_000n, ...o });
  c.advanceToEpoch(1n);
  const round = (messages: RuntimeMessage[]): Result[] => {
    // Both commitments inside one epoch (a new one elects another committee).
    while (c.height % EPOCH_INTERVAL === 4 || c.height % EPOCH_INTERVAL === 0) c.block();
    const scheduler = nextScheduler(c);
    const other = committeeNodes(c).workers.find((w) => w !== scheduler)!;
    expectOk(submit(c, [commitment(c, scheduler, { messages })]).results[0]!);
    expectOk(submit(c, [commitment(c, other, { hashOf: messages })]).results[0]!);
    const last = RoothashQueries.getLastRoundResults(c.state, RUNTIME) as {
      messages: Array<{ module?: string; code?: number; result?: Uint8Array }>;
    };
    return last.messages.map((m) => ({
      module: m.module ?? '',
      code: m.code ?? 0,
      result: m.result === undefined || m.result.length === 0 ? undefined : decodeCanonical(m.result),
    }));
  };
  return { c, round };
}

const escrow = (amount: bigint) => stakingMessage({ add_escrow: { account: addr(1), amount } });
const proposal = governanceMessage({
  submit_proposal: {
    metadata: undefined,
    upgrade: undefined,
    cancel_upgrade: undefined,
    change_parameters: { module: 'staking', changes: new Map([['max_allowances', 7]]) },
  },
});

describe('runtime escrow and governance messages', () => {
  it('escrow, a proposal and a vote by the runtime, then a reclaim', () => {
    const { c, round } = chainAtEpochOne({
      allowEscrowMessages: true,
      governance: governanceParams({ allow_vote_without_entity: true }),
    });
    const [added, proposed] = round([escrow(500n), proposal]);
    assert.deepEqual([added!.module, added!.code], ['', 0]);
    const add = added!.result as Map<string, unknown> & Record<string, unknown>;
    const newShares = quantityFromBytes(add.new_shares as Uint8Array);
    assert.ok(newShares > 0n);
    assert.deepEqual(add.owner, RUNTIME_ADDRESS);
    assert.equal(c.staking.delegation(RUNTIME_ADDRESS, addr(1)).shares, newShares);
    assert.deepEqual([proposed!.module, proposed!.code], ['', 0]);
    const p = proposed!.result as { id: number | bigint; submitter: Uint8Array };
    assert.equal(Number(p.id), 1);
    assert.deepEqual(p.submitter, RUNTIME_ADDRESS);
    assert.equal(c.staking.governanceDeposits(), 100n);
    // Balance: 10 000 − 500 escrowed − 100 deposit.
    assert.equal(c.staking.account(RUNTIME_ADDRESS).general.balance, 9400n);

    const [voted] = round([governanceMessage({ cast_vote: { id: 1n, vote: Vote.yes } })]);
    assert.deepEqual([voted!.module, voted!.code, voted!.result], ['', 0, null]);
    assert.deepEqual(
      new GovernanceStateReader(c.state).votes(1n).map((v) => [v.voter, v.vote]),
      [[RUNTIME_ADDRESS, Vote.yes]],
    );

    const [reclaimed] = round([stakingMessage({ reclaim_escrow: { account: addr(1), shares: newShares } })]);
    assert.deepEqual([reclaimed!.module, reclaimed!.code], ['', 0]);
    const r = reclaimed!.result as Record<string, unknown>;
    assert.equal(quantityFromBytes(r.amount as Uint8Array), 500n);
    assert.equal(quantityFromBytes(r.remaining_shares as Uint8Array), 0n);
    assert.equal(c.staking.delegation(RUNTIME_ADDRESS, addr(1)).shares, 0n);
  });

  it('refuses with the owning module code: escrow not allowed, vote not eligible, deposit unaffordable', () => {
    const { c, round } = chainAtEpochOne({ governance: governanceParams(), runtimeBalance: 50n });
    const results = round([
      escrow(10n),
      stakingMessage({ reclaim_escrow: { account: addr(1), shares: 1n } }),
      proposal,
      governanceMessage({ cast_vote: { id: 1n, vote: Vote.yes } }),
    ]);
    assert.deepEqual(
      results.map((r) => [r.module, r.code]),
      [
        ['staking', 5],
        ['staking', 5],
        ['staking', 3],
        ['governance', 6],
      ],
    );
    assert.equal(c.staking.account(RUNTIME_ADDRESS).general.balance, 50n);
    assert.deepEqual(new GovernanceStateReader(c.state).proposals(), []);
  });

  it('refuses a commitment whose message is of two kinds at once', () => {
    const c = roothashChain();
    c.advanceToEpoch(1n);
    const both: RuntimeMessage = { ...escrow(1n), governance: proposal.governance };
    const res = submit(c, [commitment(c, nextScheduler(c), { messages: [both] })]);
    assert.deepEqual(
      [res.results[0]!.error?.module, res.results[0]!.error?.code],
      ['roothash/commitment', 13],
    );
  });

  it("updates the runtime's own descriptor under runtime governance, refuses it under entity governance", () => {
    const updated = (c: ReturnType<typeof roothashChain>) => {
      const rt = structuredClone(new RegistryStateReader(c.state).runtime(RUNTIME)!);
      rt.executor.round_timeout = 3n;
      return rt;
    };
    const entity = chainAtEpochOne({});
    const [refused] = entity.round([updateRuntimeMessage(updated(entity.c))]);
    assert.deepEqual([refused!.module, refused!.code], ['registry', 12]);
    assert.equal(new RegistryStateReader(entity.c.state).runtime(RUNTIME)!.executor.round_timeout, 2n);

    const self = chainAtEpochOne({
      runtime: (rt) => (rt.governance_model = GovernanceModel.runtime),
      runtimeEscrow: 1000n,
    });
    const [done] = self.round([updateRuntimeMessage(updated(self.c))]);
    assert.deepEqual([done!.module, done!.code], ['', 0]);
    assert.equal(new RegistryStateReader(self.c.state).runtime(RUNTIME)!.executor.round_timeout, 3n);
  });
});
