/**
 * The official client as an independent oracle: registry transactions it builds and signs (descriptors
 * signed with its own CBOR encoder and signers) are accepted by our registry through the real mux.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import type { TxResult } from '../../../src/consensus/api/application.ts';
import type { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { runtimeCodec } from '../../../src/services/registry/api/runtime.ts';
import { CHAIN_CONTEXT } from '../staking/fixture.ts';
import { computeRuntime, key, nodeKeys, RegistryChain, registryGenesis, stakedGenesis } from './fixture.ts';

const NOTE = 'this key is not important';
const signer = (k: Ed25519KeyPair) =>
  new oasis.signature.BlindContextSigner(oasis.signature.NaclSigner.fromSeed(k.seed(), NOTE));

async function clientTx<T>(
  chain: RegistryChain,
  wrapper: oasis.consensus.TransactionWrapper<T>,
  from: Ed25519KeyPair,
  body: T | undefined,
): Promise<TxResult> {
  const nonce = chain.staking.account(oasis.staking.addressFromPublicKey(from.publicKey)).general.nonce;
  wrapper.setNonce(nonce).setFeeAmount(oasis.quantity.fromBigInt(0n)).setFeeGas(1_000_000n);
  // DeregisterEntity has no body at all (the wrapper leaves the field out).
  if (body !== undefined) wrapper.setBody(body);
  await wrapper.sign(signer(from), CHAIN_CONTEXT);
  return chain.block([oasis.misc.toCBOR(wrapper.signedTransaction)]).results[0]!;
}

const ok = (r: TxResult) =>
  assert.equal(r.error, undefined, r.error && `${r.error.module}/${r.error.code} ${r.error.message}`);

describe('registry transactions from the official client', () => {
  it('RegisterEntity, RegisterNode, RegisterRuntime, UnfreezeNode and DeregisterEntity are accepted', async () => {
    const c = new RegistryChain(
      stakedGenesis([
        [1, 1000n, 1000n],
        [101, 1000n, 0n],
      ]),
      registryGenesis(),
    );
    const k = nodeKeys(1);
    const entity = await oasis.common.signSignedEntity(
      signer(key(1)),
      oasis.registry.REGISTER_ENTITY_SIGNATURE_CONTEXT,
      {
        v: 2,
        id: key(1).publicKey,
        nodes: [k.node.publicKey],
      },
    );
    ok(await clientTx(c, oasis.registry.registerEntityWrapper(), key(1), entity));

    const address = { IP: Uint8Array.of(8, 8, 4, 4), Port: 26656, Zone: '' };
    const node = {
      v: 3,
      id: k.node.publicKey,
      entity_id: key(1).publicKey,
      expiration: 3,
      tls: { pub_key: k.tls.publicKey },
      p2p: { id: k.p2p.publicKey, addresses: [address] },
      consensus: { id: k.consensus.publicKey, addresses: [{ id: k.consensus.publicKey, address }] },
      vrf: { id: k.vrf.publicKey },
      runtimes: null,
      roles: oasis.common.ROLE_VALIDATOR,
    } as unknown as oasis.types.Node;
    const signedNode = await oasis.common.signMultiSignedNode(
      [k.node, k.p2p, k.consensus, k.vrf, k.tls].map(signer),
      oasis.registry.REGISTER_NODE_SIGNATURE_CONTEXT,
      node,
    );
    ok(await clientTx(c, oasis.registry.registerNodeWrapper(), k.node, signedNode));
    assert.equal(c.registry.node(k.node.publicKey)?.expiration, 3n);

    const rt = runtimeCodec.encode(computeRuntime(1, 1, 2n)) as oasis.types.RegistryRuntime;
    ok(await clientTx(c, oasis.registry.registerRuntimeWrapper(), key(1), rt));
    assert.notEqual(c.registry.runtime(computeRuntime(1, 1).id), undefined);

    ok(await clientTx(c, oasis.registry.unfreezeNodeWrapper(), key(1), { node_id: k.node.publicKey }));

    // The entity still has a node: refused with registry/15, as oasis-core would.
    const refused = await clientTx(c, oasis.registry.deregisterEntityWrapper(), key(1), undefined);
    assert.deepEqual([refused.error?.module, refused.error?.code], ['registry', 15]);
  });
});
