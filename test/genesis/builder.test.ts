import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { buildGenesis } from '../../src/genesis/builder.ts';
import { genesisFromJson, genesisToJson } from '../../src/genesis/document.ts';
import { checkGenesis } from '../../src/node/genesis_check.ts';
import { localnetRuntimeId, paraTimeRuntimeDescriptor } from '../../src/runtime/node/descriptor.ts';
import { signEntity } from '../../src/services/registry/api/entity.ts';
import { NodeRoles, signNode } from '../../src/services/registry/api/node.ts';

const seed = (b: number) => new Uint8Array(32).fill(b);
const owner = Ed25519KeyPair.fromSeed(seed(1));
const nodeKeys = {
  node: Ed25519KeyPair.fromSeed(seed(2)),
  p2p: Ed25519KeyPair.fromSeed(seed(3)),
  consensus: Ed25519KeyPair.fromSeed(seed(4)),
  vrf: Ed25519KeyPair.fromSeed(seed(5)),
  tls: Ed25519KeyPair.fromSeed(seed(6)),
};
const localhost = { ip: Uint8Array.of(127, 0, 0, 1), port: 26656, zone: '' };

function options(runtimeOwnerEscrow: bigint) {
  const runtime = paraTimeRuntimeDescriptor({
    id: localnetRuntimeId(),
    owner: owner.publicKey,
    genesisStateRoot: seed(9),
    computeNodes: 1,
    slashAmount: 10n,
  });
  return {
    chainId: 'builder test',
    time: 1_700_000_000,
    entities: [signEntity(owner, { v: 2, id: owner.publicKey, nodes: [nodeKeys.node.publicKey] })],
    nodes: [
      signNode(nodeKeys, {
        v: 3,
        id: nodeKeys.node.publicKey,
        entityId: owner.publicKey,
        expiration: 5n,
        tls: { pubKey: nodeKeys.tls.publicKey },
        p2p: { id: nodeKeys.p2p.publicKey, addresses: [localhost] },
        consensus: {
          id: nodeKeys.consensus.publicKey,
          addresses: [{ id: nodeKeys.p2p.publicKey, address: localhost }],
        },
        vrf: { id: nodeKeys.vrf.publicKey },
        runtimes: [],
        roles: NodeRoles.validator,
      }),
    ],
    accounts: [{ address: addressFromPublicKey(owner.publicKey), general: 0n, escrow: runtimeOwnerEscrow }],
    runtimes: [runtime],
  };
}

describe('genesis builder', () => {
  it('registers the runtimes it is given, and they survive the JSON file', () => {
    const doc = buildGenesis(options(10_000n));
    assert.equal(doc.registry.runtimes.length, 1);
    assert.deepEqual(genesisFromJson(genesisToJson(doc)).registry.runtimes, doc.registry.runtimes);
    assert.equal(checkGenesis(doc), 1);
  });

  it("refuses a runtime whose owner's escrow cannot back its stake claim", () => {
    // Each threshold kind costs 100 by default: the entity claims 100, the runtime another 100.
    assert.throws(
      () => checkGenesis(buildGenesis(options(150n))),
      /runtimes\[0\] \(runtime 80{63}\): staking: insufficient stake/,
    );
  });

  it('overrides only the roothash parameters asked for', () => {
    const plain = buildGenesis(options(10_000n));
    const doc = buildGenesis({ ...options(10_000n), roothash: { debug_do_not_suspend_runtimes: true } });
    assert.equal(doc.roothash.params.debug_do_not_suspend_runtimes, true);
    assert.deepEqual({ ...doc.roothash.params, debug_do_not_suspend_runtimes: false }, plain.roothash.params);
  });

  it('keeps registering no runtime for callers that give none', () => {
    const { runtimes: _, ...rest } = options(10_000n);
    assert.deepEqual(buildGenesis(rest).registry.runtimes, []);
  });
});
