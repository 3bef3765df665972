import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import type { ValidatorUpdate } from '../../../src/consensus/api/application.ts';
import { RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { NodeRoles } from '../../../src/services/registry/api/node.ts';
import { recordFailure } from '../../../src/services/registry/faults.ts';
import type { RegistryGenesis } from '../../../src/services/registry/genesis.ts';
import { registryHooks } from '../../../src/services/registry/hooks.ts';
import type { SchedulerParameters } from '../../../src/services/scheduler/api/params.ts';
import { SchedulerQueries } from '../../../src/services/scheduler/api/queries.ts';
import { SchedulerService } from '../../../src/services/scheduler/service.ts';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { SlashReason } from '../../../src/services/staking/api/params.ts';
import type { StakingGenesis } from '../../../src/services/staking/genesis.ts';
import {
  addr,
  computeRuntime,
  key,
  nodeDescriptor,
  nodeKeys,
  RegistryChain,
  registryGenesis,
  runtimeId,
  signedEntity,
  signedNode,
  stakedGenesis,
} from '../registry/fixture.ts';

const params = (over: Partial<SchedulerParameters> = {}): SchedulerParameters => ({
  min_validators: 1,
  max_validators: 10,
  max_validators_per_entity: 1,
  debug_bypass_stake: false,
  reward_factor_epoch_election_any: 0n,
  debug_allow_weak_alpha: false,
  voting_power_distribution: 0,
  ...over,
});

function chain(staking: StakingGenesis, registry: RegistryGenesis, p = params()): RegistryChain {
  return new RegistryChain(staking, registry, {
    services: [new SchedulerService()],
    sections: { scheduler: { params: p } },
  });
}

const consensusKey = (n: number) => nodeKeys(n).consensus.publicKey;
const updates = (list: ValidatorUpdate[]) => list.map((u) => [toHex(u.publicKey), u.power]);
const sortedUpdates = (list: Array<[number, bigint]>) =>
  list.map(([n, p]) => [toHex(consensusKey(n)), p]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));

/** Entities 1 (escrow 1600) and 2 (escrow 3200) each run one validator; entity 3 (escrow 480) none yet. */
function validatorChain(): RegistryChain {
  return chain(
    stakedGenesis([
      [1, 10_000n, 1600n],
      [2, 10_000n, 3200n],
      [3, 10_000n, 480n],
      [103, 1000n, 0n],
    ]),
    registryGenesis({
      entities: [signedEntity(1, [1]), signedEntity(2, [2]), signedEntity(3, [3])],
      nodes: [
        signedNode(nodeDescriptor(1, 1, { expiration: 5n }), 1),
        signedNode(nodeDescriptor(2, 2, { expiration: 5n }), 2),
      ],
    }),
  );
}

describe('scheduler validators', () => {
  it('elects the genesis set from registered validator nodes, power = escrow / 16', () => {
    const c = validatorChain();
    assert.deepEqual(
      updates(SchedulerQueries.currentValidatorUpdates(c.state)),
      sortedUpdates([
        [1, 100n],
        [2, 200n],
      ]),
    );
    assert.deepEqual(c.genesisValidators, SchedulerQueries.currentValidatorUpdates(c.state));
    const v = SchedulerQueries.getValidators(c.state) as Array<{
      id: Uint8Array;
      entity_id: Uint8Array;
      voting_power: bigint;
    }>;
    assert.equal(v.length, 2);
    const byId = new Map(v.map((x) => [toHex(x.id), x]));
    assert.deepEqual(byId.get(toHex(nodeKeys(1).node.publicKey))?.entity_id, key(1).publicKey);
  });

  it('refuses a genesis without enough electable validators', () => {
    assert.throws(
      () => chain(stakedGenesis([[1, 1000n, 1000n]]), registryGenesis({ entities: [signedEntity(1)] })),
      /fewer than 1 electable validators/,
    );
    assert.throws(
      () => chain(validatorChainStaking(), registryGenesis(), params({ max_validators: 0 })),
      /maximum number of validators not configured/,
    );
    const huge = validatorChainStaking();
    huge.ledger.values().next().value!.general.balance += 1n << 70n;
    huge.totalSupply += 1n << 70n;
    assert.throws(
      () =>
        chain(
          huge,
          registryGenesis({ entities: [signedEntity(1, [1])], nodes: [signedNode(nodeDescriptor(1, 1), 1)] }),
        ),
      /total supply power .* exceeds the voting power limit/,
    );
  });

  it('re-elects at each epoch change from stake and registrations, returning only the difference', () => {
    const c = validatorChain();
    // Epoch 0: entity 3 registers a validator, entity 2 adds stake, nothing changes before the epoch ends.
    const reg = c.run(
      key(103),
      RegistryMethods.registerNode,
      signedNode(nodeDescriptor(3, 3, { expiration: 5n }), 3),
    );
    assert.equal(reg.error, undefined, reg.error?.message);
    const add = c.run(
      key(2),
      StakingMethods.addEscrow,
      BodyEncoders.escrow({ account: addr(2), amount: 1600n }),
    );
    assert.equal(add.error, undefined, add.error?.message);
    const epoch1 = c.advanceToEpoch(1n);
    assert.deepEqual(
      epoch1.slice(0, -1).flatMap((b) => b.validatorUpdates),
      [],
    );
    assert.deepEqual(
      updates(epoch1.at(-1)!.validatorUpdates),
      sortedUpdates([
        [2, 300n],
        [3, 30n],
      ]),
    );
    // Entity 1 reclaims its escrow below its claims: its node drops out at the next epoch (power 0).
    const reclaim = c.run(
      key(1),
      StakingMethods.reclaimEscrow,
      BodyEncoders.reclaimEscrow({ account: addr(1), shares: 1500n }),
    );
    assert.equal(reclaim.error, undefined, reclaim.error?.message);
    const epoch2 = c.advanceToEpoch(2n);
    assert.deepEqual(updates(epoch2.at(-1)!.validatorUpdates), sortedUpdates([[1, 0n]]));
    assert.deepEqual(
      updates(SchedulerQueries.currentValidatorUpdates(c.state)),
      sortedUpdates([
        [2, 300n],
        [3, 30n],
      ]),
    );
    // A frozen node is not re-elected either; an unchanged set yields no updates.
    const epoch3 = c.advanceToEpoch(3n);
    assert.deepEqual(epoch3.at(-1)!.validatorUpdates, []);
    registryHooks.freezeNode(c.state, nodeKeys(3).node.publicKey, 100n);
    assert.deepEqual(updates(c.advanceToEpoch(4n).at(-1)!.validatorUpdates), sortedUpdates([[3, 0n]]));
  });
});

function validatorChainStaking(): StakingGenesis {
  return stakedGenesis([[1, 1000n, 1000n]]);
}

/** Entity 1 (large stake) runs validator node 1 and compute nodes 4, 5, 6 for runtime 1. */
function committeeChain(computeNodes: number[]): RegistryChain {
  const rt = computeRuntime(1, 1);
  return chain(
    stakedGenesis([[1, 10_000n, 5000n]]),
    registryGenesis({
      entities: [signedEntity(1, [1, ...computeNodes])],
      runtimes: [rt],
      nodes: [
        signedNode(nodeDescriptor(1, 1, { expiration: 5n }), 1),
        ...computeNodes.map((n) =>
          signedNode(
            nodeDescriptor(n, 1, {
              roles: NodeRoles.computeWorker,
              runtimes: [runtimeId(1)],
              expiration: 5n,
            }),
            n,
          ),
        ),
      ],
    }),
  );
}

describe('scheduler executor committees', () => {
  it('forms a committee of group_size workers and group_backup_size backups at the epoch change', () => {
    const c = committeeChain([4, 5, 6]);
    assert.deepEqual(SchedulerQueries.getCommittees(c.state, runtimeId(1)), []);
    const blocks = c.advanceToEpoch(1n);
    assert.ok(blocks.at(-1)!.events.some((e) => e.module === 'scheduler' && e.kind === 'elected'));
    const [committee] = SchedulerQueries.getCommittees(c.state, runtimeId(1)) as Array<{
      kind: number;
      members: Array<{ role: number; public_key: Uint8Array }>;
      valid_for: bigint;
    }>;
    assert.equal(committee?.kind, 1);
    assert.equal(committee?.valid_for, 1n);
    assert.deepEqual(
      committee?.members.map((m) => m.role),
      [1, 1, 2],
    );
    const computeIds = new Set([4, 5, 6].map((n) => toHex(nodeKeys(n).node.publicKey)));
    for (const m of committee!.members) assert.ok(computeIds.has(toHex(m.public_key)));
    const workers = committee!.members.filter((m) => m.role === 1).map((m) => toHex(m.public_key));
    assert.equal(new Set(workers).size, 2);
  });

  it('forms no committee when too few eligible nodes (pool smaller than the group, frozen node)', () => {
    const small = committeeChain([4]);
    small.advanceToEpoch(1n);
    assert.deepEqual(SchedulerQueries.getCommittees(small.state, runtimeId(1)), []);

    const frozen = committeeChain([4, 5]);
    frozen.advanceToEpoch(1n);
    assert.equal(SchedulerQueries.getCommittees(frozen.state, runtimeId(1)).length, 1);
    registryHooks.freezeNode(frozen.state, nodeKeys(5).node.publicKey, 100n);
    frozen.advanceToEpoch(2n);
    assert.deepEqual(SchedulerQueries.getCommittees(frozen.state, runtimeId(1)), []);
  });
});

/** Entities 1 and 2 run one genesis validator each; a double sign costs 16 and freezes for one epoch. */
function slashableChain(): RegistryChain {
  const staking = stakedGenesis([
    [1, 10_000n, 1600n],
    [2, 10_000n, 3200n],
  ]);
  staking.params.slashing.set(SlashReason.consensusEquivocation, { amount: 16n, freezeInterval: 1n });
  return chain(
    staking,
    registryGenesis({
      entities: [signedEntity(1, [1]), signedEntity(2, [2])],
      nodes: [
        signedNode(nodeDescriptor(1, 1, { expiration: 5n }), 1),
        signedNode(nodeDescriptor(2, 2, { expiration: 5n }), 2),
      ],
    }),
  );
}

describe('scheduler after slashing', () => {
  it('re-elects in the block that slashed, dropping the frozen validator without waiting for the epoch', () => {
    const c = slashableChain();
    c.advanceToEpoch(1n);
    const evidence = {
      kind: 'duplicate-vote' as const,
      publicKey: consensusKey(1),
      height: c.height - 1,
      time: 0,
      totalVotingPower: 300n,
    };
    const res = c.block([], { misbehavior: [evidence] });
    assert.ok(res.events.some((e) => e.kind === 'take_escrow'));
    assert.deepEqual(updates(res.validatorUpdates), sortedUpdates([[1, 0n]]));
  });

  it('does not re-elect for a slash in the base epoch', () => {
    const c = slashableChain();
    const evidence = {
      kind: 'duplicate-vote' as const,
      publicKey: consensusKey(1),
      height: 1,
      time: 0,
      totalVotingPower: 300n,
    };
    const res = c.block([], { misbehavior: [evidence] });
    assert.ok(res.events.some((e) => e.kind === 'take_escrow'));
    assert.deepEqual(res.validatorUpdates, []);
  });
});

describe('scheduler election rewards', () => {
  it('pays reward_factor_epoch_election_any to elected validator entities at the epoch change', () => {
    const staking = stakedGenesis([
      [1, 10_000n, 1600n],
      [3, 10_000n, 1600n],
    ]);
    staking.params.rewardSchedule = [{ until: 100n, scale: 1n }];
    staking.commonPool = 10_000n;
    staking.totalSupply += 10_000n;
    const c = chain(
      staking,
      registryGenesis({
        entities: [signedEntity(1, [1]), signedEntity(3)],
        nodes: [signedNode(nodeDescriptor(1, 1, { expiration: 5n }), 1)],
      }),
      params({ reward_factor_epoch_election_any: 10_000_000n }),
    );
    c.advanceToEpoch(1n);
    // 10% of 1600 for the elected entity; entity 3 has no validator and gets nothing.
    assert.equal(c.staking.account(addr(1)).escrow.active.balance, 1760n);
    assert.equal(c.staking.account(addr(3)).escrow.active.balance, 1600n);
    assert.equal(c.staking.commonPool(), 9840n);
  });
});

describe('determinism', () => {
  it('two nodes running the same blocks end in byte-identical registry and scheduler state', () => {
    const run = () => {
      const c = committeeChain([4, 5, 6]);
      c.advanceToEpoch(1n);
      registryHooks.freezeNode(c.state, nodeKeys(4).node.publicKey, 2n);
      c.advanceToEpoch(3n);
      return c.snapshot();
    };
    const a = run();
    const b = run();
    assert.deepEqual(a, b);
    assert.ok(
      [...a.keys()].some((k) => k.startsWith('60')),
      'a committee is stored',
    );
  });
});

describe('scheduler and liveness faults', () => {
  it('leaves a node suspended for the runtime out of its committee', () => {
    const c = committeeChain([4, 5]);
    const reg = c.registry;
    const status = reg.nodeStatus(nodeKeys(5).node.publicKey);
    recordFailure(status, runtimeId(1), 0n); // suspended until epoch 2
    reg.setNodeStatus(nodeKeys(5).node.publicKey, status);
    c.advanceToEpoch(1n);
    assert.deepEqual(SchedulerQueries.getCommittees(c.state, runtimeId(1)), []);
    c.advanceToEpoch(2n);
    assert.equal(SchedulerQueries.getCommittees(c.state, runtimeId(1)).length, 1);
  });
});
