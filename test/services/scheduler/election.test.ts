import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import {
  CommitteeRole,
  electExecutorCommittee,
  electValidators,
  shuffleByBeacon,
  type ValidatorElectionParams,
  type ValidatorEntity,
  votingPower,
} from '../../../src/services/scheduler/election.ts';

const key = (a: number, b = 0) => {
  const k = new Uint8Array(32);
  k[0] = a;
  k[1] = b;
  return k;
};
const beacon = (n: number) => new Uint8Array(32).fill(n);

function entity(id: number, escrow: bigint, nodes: number): ValidatorEntity {
  return {
    entityId: key(id),
    escrow,
    nodes: Array.from({ length: nodes }, (_, i) => ({
      nodeId: key(id, i + 1),
      entityId: key(id),
      consensusKey: key(id, 100 + i),
    })),
  };
}

const params: ValidatorElectionParams = {
  minValidators: 1,
  maxValidators: 100,
  maxValidatorsPerEntity: 1,
  votingPowerDistribution: 0,
  debugBypassStake: false,
};

describe('validator election', () => {
  it('takes entities by escrow, one node each, power = escrow / 16', () => {
    const elected = electValidators(
      [entity(1, 1600n, 2), entity(2, 3200n, 1), entity(3, 48n, 1)],
      params,
      beacon(1),
    )!;
    assert.deepEqual(
      elected.map((v) => [v.entityId[0], v.power]),
      [
        [2, 200n],
        [1, 100n],
        [3, 3n],
      ],
    );
  });

  it('caps the set at max_validators, preferring larger stake', () => {
    const entities = Array.from({ length: 10 }, (_, i) => entity(i + 1, BigInt((i + 1) * 1000), 1));
    const elected = electValidators(entities, { ...params, maxValidators: 3 }, beacon(2))!;
    assert.deepEqual(
      elected.map((v) => v.entityId[0]),
      [10, 9, 8],
    );
  });

  it('allows several nodes per entity up to the per-entity limit', () => {
    const elected = electValidators(
      [entity(1, 1000n, 5)],
      { ...params, maxValidatorsPerEntity: 3 },
      beacon(3),
    )!;
    assert.equal(elected.length, 3);
    assert.equal(new Set(elected.map((v) => toHex(v.nodeId))).size, 3);
  });

  it('returns undefined below min_validators', () => {
    assert.equal(electValidators([entity(1, 10n, 1)], { ...params, minValidators: 2 }, beacon(1)), undefined);
    assert.equal(electValidators([], params, beacon(1)), undefined);
  });

  it('breaks escrow ties by the beacon, identically for the same beacon', () => {
    const entities = Array.from({ length: 8 }, (_, i) => entity(i + 1, 500n, 1));
    const first = (b: number) =>
      electValidators(entities, { ...params, maxValidators: 1 }, beacon(b))![0]!.entityId[0];
    assert.equal(first(7), first(7));
    const winners = new Set(Array.from({ length: 20 }, (_, b) => first(b)));
    assert.ok(winners.size > 1, 'different beacons elect different tie winners');
  });

  it('computes voting power in both distributions and never zero', () => {
    assert.equal(votingPower(15n, params), 1n);
    assert.equal(votingPower(10_000n, { ...params, votingPowerDistribution: 1 }), 100n);
    assert.equal(votingPower(10_001n, { ...params, votingPowerDistribution: 1 }), 100n);
    assert.equal(votingPower(10n ** 30n, { ...params, votingPowerDistribution: 1 }), 10n ** 15n);
    assert.equal(votingPower(0n, { ...params, debugBypassStake: true }), 1n);
  });
});

describe('executor committee election', () => {
  const nodes = Array.from({ length: 6 }, (_, i) => key(50 + i));
  const runtime = key(0x80);

  it('draws workers then backups of the requested sizes from the pool', () => {
    const members = electExecutorCommittee(nodes, { groupSize: 3, groupBackupSize: 2 }, runtime, beacon(1))!;
    assert.deepEqual(
      members.map((m) => m.role),
      [
        CommitteeRole.worker,
        CommitteeRole.worker,
        CommitteeRole.worker,
        CommitteeRole.backupWorker,
        CommitteeRole.backupWorker,
      ],
    );
    assert.equal(new Set(members.slice(0, 3).map((m) => toHex(m.publicKey))).size, 3);
  });

  it('does not depend on the order candidates are listed in, but on the beacon and runtime', () => {
    const a = electExecutorCommittee(nodes, { groupSize: 2, groupBackupSize: 1 }, runtime, beacon(4))!;
    const b = electExecutorCommittee(
      [...nodes].reverse(),
      { groupSize: 2, groupBackupSize: 1 },
      runtime,
      beacon(4),
    )!;
    assert.deepEqual(a, b);
    const draws = new Set(
      Array.from({ length: 12 }, (_, i) =>
        electExecutorCommittee(nodes, { groupSize: 2, groupBackupSize: 0 }, runtime, beacon(i))!
          .map((m) => toHex(m.publicKey))
          .join(),
      ),
    );
    assert.ok(draws.size > 1);
  });

  it('draws backups from the nodes that are not workers when there are enough of them', () => {
    const three = nodes.slice(0, 3);
    for (let i = 0; i < 40; i++) {
      const members = electExecutorCommittee(
        three,
        { groupSize: 2, groupBackupSize: 1 },
        runtime,
        beacon(i),
      )!;
      const workers = members.filter((m) => m.role === CommitteeRole.worker).map((m) => toHex(m.publicKey));
      const [backup] = members.filter((m) => m.role === CommitteeRole.backupWorker);
      assert.ok(!workers.includes(toHex(backup!.publicKey)), `beacon ${i}: the backup is not a worker`);
    }
    // Too few others: a worker may also be the backup (the committee still forms).
    const two = electExecutorCommittee(
      nodes.slice(0, 2),
      { groupSize: 2, groupBackupSize: 1 },
      runtime,
      beacon(1),
    )!;
    assert.equal(two.length, 3);
  });

  it('forms no committee when the pool is too small', () => {
    assert.equal(
      electExecutorCommittee(nodes.slice(0, 2), { groupSize: 3, groupBackupSize: 0 }, runtime, beacon(1)),
      undefined,
    );
    assert.equal(
      electExecutorCommittee(nodes, { groupSize: 2, groupBackupSize: 0, minPoolSize: 7 }, runtime, beacon(1)),
      undefined,
    );
  });

  it('shuffles uniformly enough: every node is first sometimes', () => {
    const firsts = new Set<string>();
    for (let b = 0; b < 60; b++) firsts.add(toHex(shuffleByBeacon(nodes, (n) => n, 'x', beacon(b))[0]!));
    assert.equal(firsts.size, nodes.length);
  });
});
