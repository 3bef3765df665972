import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { FREEZE_FOREVER } from '../../../src/services/registry/api/status.ts';
import { registryHooks } from '../../../src/services/registry/hooks.ts';
import { SlashReason } from '../../../src/services/staking/api/params.ts';
import {
  addr,
  key,
  nodeDescriptor,
  nodeKeys,
  RegistryChain,
  registryGenesis,
  signedEntity,
  signedNode,
  stakedGenesis,
} from './fixture.ts';
import { expectOk } from './helpers.ts';

/** Entity 1 runs validator node 1 (from genesis); slashing takes 40 and freezes for 2 epochs. */
function chain(freezeInterval = 2n): RegistryChain {
  const staking = stakedGenesis([
    [1, 1000n, 1000n],
    [9, 1000n, 0n],
  ]);
  staking.params.slashing.set(SlashReason.consensusEquivocation, { amount: 40n, freezeInterval });
  return new RegistryChain(
    staking,
    registryGenesis({
      entities: [signedEntity(1, [1])],
      nodes: [signedNode(nodeDescriptor(1, 1, { expiration: 5n }), 1)],
    }),
  );
}

describe('staking hooks over the registry', () => {
  it('resolves consensus keys to nodes and entities, and nothing for unknown keys', () => {
    const c = chain();
    const ref = registryHooks.consensusKeyToNode(c.state, nodeKeys(1).consensus.publicKey)!;
    assert.deepEqual(ref.nodeId, nodeKeys(1).node.publicKey);
    assert.deepEqual(ref.entity, addr(1));
    assert.equal(ref.frozen, false);
    assert.equal(registryHooks.consensusKeyToEntity(c.state, nodeKeys(2).consensus.publicKey), undefined);
  });

  it('pays the proposer share of fees to the entity of the proposing node', () => {
    const c = chain();
    const before = c.staking.account(addr(1)).general.balance;
    const fee = { amount: 400n, gas: 1_000_000n };
    const res = c.block([c.sign(key(9), 'staking.Burn', { amount: new Uint8Array([1]) }, fee)], {
      proposer: nodeKeys(1).consensus.publicKey,
    });
    expectOk(res.results[0]!);
    // propose weight 2 of 4: half of the fee goes to the proposer's entity at the end of the block.
    assert.equal(c.staking.account(addr(1)).general.balance, before + 200n);
  });

  it('a double-signing node is slashed and frozen once, then unfrozen by its entity after the freeze', () => {
    const c = chain();
    const evidence = {
      kind: 'duplicate-vote' as const,
      publicKey: nodeKeys(1).consensus.publicKey,
      height: 1,
      time: 6,
      totalVotingPower: 10n,
    };
    const res = c.block([], { misbehavior: [evidence] });
    assert.ok(res.events.some((e) => e.kind === 'take_escrow'));
    assert.equal(c.staking.account(addr(1)).escrow.active.balance, 960n);
    assert.equal(c.registry.nodeStatus(nodeKeys(1).node.publicKey).freeze_end_time, 2n);
    // Already frozen: the same evidence again takes nothing.
    c.block([], { misbehavior: [evidence] });
    assert.equal(c.staking.account(addr(1)).escrow.active.balance, 960n);
    assert.equal(
      c.run(key(1), RegistryMethods.unfreezeNode, { node_id: nodeKeys(1).node.publicKey }).error?.code,
      14,
    );
    c.advanceToEpoch(2n);
    expectOk(c.run(key(1), RegistryMethods.unfreezeNode, { node_id: nodeKeys(1).node.publicKey }));
    assert.equal(registryHooks.consensusKeyToNode(c.state, nodeKeys(1).consensus.publicKey)?.frozen, false);
  });

  it('a freeze interval reaching past u64 freezes forever', () => {
    const c = chain(FREEZE_FOREVER);
    c.block([], {
      misbehavior: [
        {
          kind: 'duplicate-vote',
          publicKey: nodeKeys(1).consensus.publicKey,
          height: 1,
          time: 6,
          totalVotingPower: 1n,
        },
      ],
    });
    assert.equal(c.registry.nodeStatus(nodeKeys(1).node.publicKey).freeze_end_time, FREEZE_FOREVER);
  });
});
