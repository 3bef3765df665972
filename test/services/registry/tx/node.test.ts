import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64 } from '../../../../src/codec/bytes.ts';
import { RegistryMethods } from '../../../../src/services/registry/api/methods.ts';
import { NodeRoles, nodeCodec, signNode } from '../../../../src/services/registry/api/node.ts';
import { EPOCH_INVALID } from '../../../../src/services/registry/api/status.ts';
import { registryHooks } from '../../../../src/services/registry/hooks.ts';
import { consensusAddress } from '../../../../src/services/registry/state.ts';
import {
  addr,
  computeRuntime,
  key,
  nodeDescriptor,
  nodeKeys,
  RegistryChain,
  registryGenesis,
  registryParams,
  runtimeId,
  signedEntity,
  signedNode,
  stakedGenesis,
} from '../fixture.ts';
import { expectFailure, expectOk } from '../helpers.ts';

const { registerNode, unfreezeNode } = RegistryMethods;

/** Entity 1 (stake 1000) lists nodes 1, 2, 3; entity 2 (stake 150) lists node 4; runtime 1 is deployed. */
function chain(): RegistryChain {
  return new RegistryChain(
    stakedGenesis([
      [1, 1000n, 1000n],
      [2, 1000n, 150n],
      [101, 1000n, 0n],
      [102, 1000n, 0n],
      [103, 1000n, 0n],
      [104, 1000n, 0n],
      [105, 1000n, 0n],
    ]),
    registryGenesis({
      entities: [signedEntity(1, [1, 2, 3]), signedEntity(2, [4])],
      runtimes: [computeRuntime(1, 1)],
    }),
  );
}

describe('registry.RegisterNode', () => {
  it('stores the node with its indexes, status and stake claim, and emits the event', () => {
    const c = chain();
    const desc = nodeDescriptor(1, 1);
    const res = c.run(key(101), registerNode, signedNode(desc, 1));
    expectOk(res);
    const reg = c.registry;
    assert.deepEqual(reg.node(desc.id)?.expiration, 3n);
    assert.deepEqual(reg.nodeByConsensusAddress(consensusAddress(desc.consensus.id))?.id, desc.id);
    for (const k of [desc.consensus.id, desc.p2p.id, desc.tls.pubKey, desc.vrf.id]) {
      assert.deepEqual(reg.nodeIdBySubKey(k), desc.id);
    }
    assert.equal(reg.hasEntityNodes(key(1).publicKey), true);
    assert.equal(reg.nodeStatus(desc.id).election_eligible_after, EPOCH_INVALID);
    const claims = c.staking.account(addr(1)).escrow.claims;
    assert.deepEqual(claims.get(`registry.RegisterNode.${toBase64(desc.id)}`), [{ global: 1 }]);
    const ev = res.events.find((e) => e.kind === 'node')!.value as { node: never; is_registration: boolean };
    assert.equal(ev.is_registration, true);
    assert.deepEqual(nodeCodec.decode(ev.node, 'n').id, desc.id);
    // staking hooks resolve the consensus key to the entity
    assert.deepEqual(registryHooks.consensusKeyToEntity(c.state, desc.consensus.id), addr(1));
  });

  it('charges runtime maintenance per runtime and newly covered epoch, and claims per-role stake', () => {
    const c = chain();
    const desc = nodeDescriptor(2, 1, {
      roles: NodeRoles.computeWorker,
      runtimes: [runtimeId(1)],
      expiration: 4n,
    });
    const res = c.run(key(102), registerNode, signedNode(desc, 2));
    expectOk(res);
    assert.equal(res.gasUsed, 4000n); // 1 runtime × 4 epochs × 1000
    assert.deepEqual(
      c.staking.account(addr(1)).escrow.claims.get(`registry.RegisterNode.${toBase64(desc.id)}`),
      [{ global: 2 }],
    );
    // Renewing one epoch further only pays for the extra epoch.
    const renewed = c.run(key(102), registerNode, signedNode({ ...desc, expiration: 5n }, 2));
    expectOk(renewed);
    assert.equal(renewed.gasUsed, 1000n);
  });

  it('fails: unknown entity (9), unlisted node (1), wrong signer (12), expired (13), too far (1)', () => {
    const c = chain();
    expectFailure(c, key(105), registerNode, signedNode(nodeDescriptor(5, 3), 5), 'registry', 9);
    expectFailure(c, key(104), registerNode, signedNode(nodeDescriptor(4, 1), 4), 'registry', 1);
    expectFailure(c, key(102), registerNode, signedNode(nodeDescriptor(1, 1), 1), 'registry', 12);
    expectFailure(
      c,
      key(101),
      registerNode,
      signedNode(nodeDescriptor(1, 1, { expiration: 0n }), 1),
      'registry',
      13,
    );
    expectFailure(
      c,
      key(101),
      registerNode,
      signedNode(nodeDescriptor(1, 1, { expiration: 6n }), 1),
      'registry',
      1,
    );
  });

  it('fails: bad signature (2), signer set wrong (1), no runtimes (1), TEE capability (7), unknown runtime (11)', () => {
    const c = chain();
    const signed = signedNode(nodeDescriptor(1, 1), 1);
    const tampered = { ...signed, signatures: signed.signatures.map((s) => ({ ...s })) };
    tampered.signatures[2] = {
      ...tampered.signatures[2]!,
      signature: tampered.signatures[2]!.signature.slice(),
    };
    tampered.signatures[2]!.signature[5]! ^= 1;
    expectFailure(c, key(101), registerNode, tampered, 'registry', 2);
    expectFailure(
      c,
      key(101),
      registerNode,
      { ...signed, signatures: signed.signatures.slice(0, 4) },
      'registry',
      1,
    );
    const compute = nodeDescriptor(1, 1, { roles: NodeRoles.computeWorker });
    expectFailure(c, key(101), registerNode, signedNode(compute, 1), 'registry', 1);
    const tee = nodeDescriptor(1, 1, { roles: NodeRoles.computeWorker, runtimes: [runtimeId(1)] });
    tee.runtimes[0]!.capabilities = {
      tee: { hardware: 1, rak: nodeKeys(1).tls.publicKey, attestation: Uint8Array.of(1) },
    };
    expectFailure(c, key(101), registerNode, signedNode(tee, 1), 'registry', 7);
    const unknownRt = nodeDescriptor(1, 1, { roles: NodeRoles.computeWorker, runtimes: [runtimeId(9)] });
    expectFailure(c, key(101), registerNode, signedNode(unknownRt, 1), 'registry', 11);
  });

  it('fails: stake not covering the claim (staking/4), a key of another node (1), forbidden updates (17)', () => {
    const c = chain();
    // entity 2 has 150 escrow: 100 for the entity, the validator node needs 100 more.
    expectFailure(c, key(104), registerNode, signedNode(nodeDescriptor(4, 2), 4), 'staking', 4);
    c.closeOpenBlock();
    expectOk(c.run(key(101), registerNode, signedNode(nodeDescriptor(1, 1), 1)));
    const clash = nodeDescriptor(2, 1);
    clash.tls = { pubKey: nodeKeys(1).tls.publicKey };
    expectFailure(c, key(102), registerNode, signNodeWith(clash, 2, { tls: nodeKeys(1).tls }), 'registry', 1);
    const newConsensus = nodeDescriptor(1, 1);
    newConsensus.consensus = {
      id: nodeKeys(9).consensus.publicKey,
      addresses: newConsensus.consensus.addresses,
    };
    expectFailure(
      c,
      key(101),
      registerNode,
      signNodeWith(newConsensus, 1, { consensus: nodeKeys(9).consensus }),
      'registry',
      17,
    );
    const fewerRoles = nodeDescriptor(1, 1, { roles: NodeRoles.observer, runtimes: [runtimeId(1)] });
    expectFailure(c, key(101), registerNode, signedNode(fewerRoles, 1), 'registry', 17);
    // A live compute node may not drop the runtime version in effect.
    c.closeOpenBlock();
    const worker = nodeDescriptor(2, 1, { roles: NodeRoles.computeWorker, runtimes: [runtimeId(1)] });
    expectOk(c.run(key(102), registerNode, signedNode(worker, 2)));
    const upgraded = structuredClone(worker);
    upgraded.runtimes[0]!.version = { major: 2, minor: 0, patch: 0 };
    expectFailure(c, key(102), registerNode, signedNode(upgraded, 2), 'registry', 17);
  });
});

function signNodeWith(
  desc: ReturnType<typeof nodeDescriptor>,
  n: number,
  over: Partial<ReturnType<typeof nodeKeys>>,
) {
  return signedNodeWithKeys(desc, { ...nodeKeys(n), ...over });
}

function signedNodeWithKeys(desc: ReturnType<typeof nodeDescriptor>, keys: ReturnType<typeof nodeKeys>) {
  return signNode(keys, desc);
}

describe('registry.UnfreezeNode', () => {
  it('refuses before the freeze ends (14), from others (3), for unknown nodes (10); then unfreezes', () => {
    const c = chain();
    const desc = nodeDescriptor(1, 1, { expiration: 5n });
    expectOk(c.run(key(101), registerNode, signedNode(desc, 1)));
    registryHooks.freezeNode(c.state, desc.id, 2n);
    assert.equal(registryHooks.consensusKeyToNode(c.state, desc.consensus.id)?.frozen, true);
    expectFailure(c, key(1), unfreezeNode, { node_id: desc.id }, 'registry', 14);
    expectFailure(c, key(2), unfreezeNode, { node_id: desc.id }, 'registry', 3);
    expectFailure(c, key(1), unfreezeNode, { node_id: nodeKeys(7).node.publicKey }, 'registry', 10);
    c.closeOpenBlock();
    c.advanceToEpoch(2n);
    const res = c.run(key(1), unfreezeNode, { node_id: desc.id });
    expectOk(res);
    assert.equal(c.registry.nodeStatus(desc.id).freeze_end_time, 0n);
    assert.deepEqual(
      (res.events.find((e) => e.kind === 'node_unfrozen')!.value as { node_id: Uint8Array }).node_id,
      desc.id,
    );
    assert.equal(registryHooks.consensusKeyToNode(c.state, desc.consensus.id)?.frozen, false);
  });
});

describe('registry.RegisterNode addresses', () => {
  it('requires consensus and P2P addresses for validators, routable unless debug allows otherwise', () => {
    const c = chain();
    const local = { ip: Uint8Array.of(127, 0, 0, 1), port: 26656, zone: '' };
    const unroutable = nodeDescriptor(1, 1);
    unroutable.p2p = { ...unroutable.p2p, addresses: [local] };
    expectFailure(c, key(101), registerNode, signedNode(unroutable, 1), 'registry', 1);
    const noConsensus = nodeDescriptor(1, 1);
    noConsensus.consensus = { ...noConsensus.consensus, addresses: [] };
    expectFailure(c, key(101), registerNode, signedNode(noConsensus, 1), 'registry', 1);
    const noP2P = nodeDescriptor(1, 1);
    noP2P.p2p = { ...noP2P.p2p, addresses: [] };
    expectFailure(c, key(101), registerNode, signedNode(noP2P, 1), 'registry', 1);

    const debug = new RegistryChain(
      stakedGenesis([
        [1, 1000n, 1000n],
        [101, 1000n, 0n],
      ]),
      registryGenesis({
        params: registryParams({ debug_allow_unroutable_addresses: true }),
        entities: [signedEntity(1, [1])],
      }),
    );
    expectOk(debug.run(key(101), registerNode, signedNode(unroutable, 1)));
  });
});
