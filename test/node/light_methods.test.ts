/**
 * The light-client methods of a real single-validator node: the official client decodes `GetLightBlock`
 * and `GetParameters`; the light block in `meta` is the node's own block (same hash as `GetBlock`) and a
 * light client over the node's socket verifies the latest header from a trust root taken from it;
 * transactions are proven under the header's data_hash and StateSync reads under its app hash;
 * light-client-attack evidence given to `SubmitEvidence` is committed in a block, and bytes that are not
 * evidence are refused with a coded error.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import type { NodeClient } from '../../src/api/grpc_client.ts';
import { GrpcLightSource } from '../../src/api/light_source.ts';
import { bytesEqual, fromHex, utf8 } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { blockHash, itemsHash, txsHash } from '../../src/consensus/api/block.ts';
import { encodeLightAttack } from '../../src/consensus/api/light_attack_evidence.ts';
import { decodeLightBlock, validatorsHash } from '../../src/consensus/api/light_block.ts';
import { LightClient } from '../../src/consensus/light/client.ts';
import { attackEvidence } from '../../src/consensus/light/detector.ts';
import { type MerkleProof, sha256, verifyMerkleProof } from '../../src/crypto/merkle.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import type { Node } from '../../src/node/node.ts';
import { type Proof, verifyProof } from '../../src/state/mkvs/proof.ts';
import { signCommit } from '../consensus/light/chain_fixture.ts';
import { type OneNode, startOneNode } from './one_node_fixture.ts';

const require_ = createRequire(import.meta.url);
(globalThis as Record<string, unknown>).XMLHttpRequest ??= require_('xhr2');

/** A CBOR `merkle.Proof` as the client receives it. */
function decodeTxProof(bytes: Uint8Array): MerkleProof {
  const p = decodeCanonical(bytes) as {
    total: number;
    index: number;
    leaf_hash: Uint8Array;
    aunts: Uint8Array[];
  };
  return { total: p.total, index: p.index, leafHash: p.leaf_hash, aunts: p.aunts ?? [] };
}

describe('light-client methods of a running node', { timeout: 120_000 }, () => {
  let one: OneNode | undefined;
  let net: LocalnetManifest;
  let node: Node;
  let socket: NodeClient;
  let nic: oasis.client.NodeInternal;

  before(async () => {
    one = await startOneNode('oasis-ts-light-', 6);
    ({ net, node, socket, nic } = one);
  });

  after(async () => {
    await one?.stop();
  });

  it('GetLightBlock decodes in the official client and carries the node block', async () => {
    const lb = await nic.consensusGetLightBlock(3n);
    assert.equal(Number(lb.height), 3);
    const block = decodeLightBlock(lb.meta!);
    const apiBlock = await nic.consensusGetBlock(3n);
    assert.ok(bytesEqual(blockHash(block.header), apiBlock.hash!));
    assert.ok(bytesEqual(validatorsHash(block.validators), block.header.validatorsHash));
    const latest = await nic.consensusGetLightBlock(0n);
    assert.ok(Number(latest.height) >= 6);
  });

  it('GetParameters decodes in the official client', async () => {
    const p = await nic.consensusGetParameters(0n);
    assert.ok(Number(p.height) >= 6);
    assert.ok(p.parameters, 'parameters present');
    assert.ok(Number(p.parameters!.max_tx_size) > 0);
    // meta is the parameters' canonical CBOR: the client re-encodes what it decoded to the same bytes.
    assert.ok(bytesEqual(oasis.misc.toCBOR(p.parameters), p.meta!));
    assert.equal(
      (decodeCanonical(p.meta!) as { max_tx_size: number }).max_tx_size,
      Number(p.parameters!.max_tx_size),
    );
  });

  it('a light client over the node socket verifies the latest header from a trust root it served', async () => {
    const root = decodeLightBlock((await nic.consensusGetLightBlock(2n)).meta!);
    const client = new LightClient({
      chainContext: await nic.consensusGetChainContext(),
      trust: { height: 2, hash: blockHash(root.header), periodMs: 3600_000 },
      primary: new GrpcLightSource('node', socket),
    });
    const target = node.view.latestHeight();
    const verified = await client.verifyHeight(target);
    assert.ok(bytesEqual(verified.hash, node.view.block(target)!.hash));
  });

  it('SubmitTxWithProof and GetTransactionsWithProofs prove inclusion under the header data_hash', async () => {
    const signer = oasis.signature.NaclSigner.fromSeed(
      fromHex(net.accounts[0]!.seed_hex),
      'this key is not important',
    );
    const owner = oasis.staking.addressFromPublicKey(signer.public());
    const tw = oasis.staking.transferWrapper();
    const account = await nic.stakingAccount({ height: 0n, owner });
    tw.setNonce(BigInt(account.general?.nonce ?? 0));
    tw.setFeeAmount(oasis.quantity.fromBigInt(0n));
    tw.setFeeGas(100_000n);
    tw.setBody({ to: owner, amount: oasis.quantity.fromBigInt(1n) });
    await tw.sign(new oasis.signature.BlindContextSigner(signer), await nic.consensusGetChainContext());
    const proved = await nic.consensusSubmitTxWithProof(tw.signedTransaction);
    const header = decodeLightBlock((await nic.consensusGetLightBlock(proved.height)).meta!).header;
    const raw = oasis.misc.toCBOR(tw.signedTransaction);
    assert.ok(verifyMerkleProof(header.dataHash, decodeTxProof(proved.raw_proof!), sha256(raw)));

    const all = await nic.consensusGetTransactionsWithProofs(proved.height);
    assert.equal(all.transactions.length, all.proofs.length);
    assert.ok(all.transactions.length >= 1);
    all.transactions.forEach((tx, i) => {
      const proof = decodeTxProof(all.proofs[i]!);
      assert.ok(verifyMerkleProof(header.dataHash, proof, sha256(tx)), `tx ${i}`);
      assert.ok(!verifyMerkleProof(header.dataHash, proof, sha256(raw.subarray(1))));
    });
  });

  it('StateSync reads come with proofs that verify against the app hash of a verified header', async () => {
    const h = node.view.latestHeight() - 1;
    const root = decodeLightBlock((await nic.consensusGetLightBlock(2n)).meta!);
    const light = new LightClient({
      chainContext: await nic.consensusGetChainContext(),
      trust: { height: 2, hash: blockHash(root.header), periodMs: 3600_000 },
      primary: new GrpcLightSource('node', socket),
    });
    // Header h+1 records the state root after block h.
    const trustedRoot = (await light.verifyHeight(h + 1)).appHash;
    const block = await nic.consensusGetBlock(BigInt(h));
    assert.ok(bytesEqual(block.state_root!.hash!, trustedRoot));
    const tree = { root: block.state_root!, position: block.state_root!.hash! };
    const entries = [...node.view.stateAt(h).entries(new Uint8Array(0))].slice(0, 40);
    const proofOf = (r: oasis.types.StorageProofResponse): Proof => ({
      v: Number(r.proof!.v ?? 0),
      untrustedRoot: r.proof!.untrusted_root!,
      entries: r.proof!.entries! as Array<Uint8Array | null>,
    });
    const [key, value] = entries[7]!;
    const got = await nic.consensusStateSyncGet({ tree, key, include_siblings: false });
    assert.ok(bytesEqual(verifyProof(trustedRoot, key, proofOf(got))!, value));
    const absent = Uint8Array.of(...key, 0xff, 0xff);
    assert.equal(
      verifyProof(trustedRoot, absent, proofOf(await nic.consensusStateSyncGet({ tree, key: absent }))),
      undefined,
    );

    const prefix = entries[0]![0].subarray(0, 1);
    const matching = entries.filter(([k]) => k[0] === prefix[0]).slice(0, 5);
    const prefixed = proofOf(await nic.consensusStateSyncGetPrefixes({ tree, prefixes: [prefix], limit: 5 }));
    for (const [k, v] of matching) assert.ok(bytesEqual(verifyProof(trustedRoot, k, prefixed)!, v));

    const iterated = proofOf(
      await nic.consensusStateSyncIterate({ tree, key: entries[10]![0], prefetch: 8 }),
    );
    for (const [k, v] of entries.slice(10, 18))
      assert.ok(bytesEqual(verifyProof(trustedRoot, k, iterated)!, v));

    const wrongRoot = { ...tree, root: { ...tree.root, hash: new Uint8Array(32) } };
    await assert.rejects(
      nic.consensusStateSyncGet({ tree: wrongRoot, key }),
      (e) => e instanceof oasis.client.OasisCodedError && e.oasisModule === 'consensus' && e.oasisCode === 3,
    );
  });

  it('SubmitEvidence takes a light-client attack the validator signed, and a block commits it', async () => {
    const chainContext = await nic.consensusGetChainContext();
    const at = async (h: number) => decodeLightBlock((await nic.consensusGetLightBlock(BigInt(h))).meta!);
    const [common, real] = [await at(2), await at(3)];
    // The validator signs a second block at height 3: another transaction list, same round.
    const header = { ...real.header, dataHash: txsHash([utf8('not the real block')]) };
    const commit = signCommit(
      chainContext,
      real.validators,
      3,
      real.commit.round,
      blockHash(header),
      [node.identity.consensus],
      header.time,
    );
    const evidence = encodeLightAttack(
      attackEvidence({ header, commit, validators: real.validators }, real, common),
    );
    await nic.consensusSubmitEvidence({ meta: evidence });
    const from = node.view.latestHeight();
    const deadline = Date.now() + 30_000;
    for (let h = from; ; h++) {
      while (node.view.latestHeight() < h) {
        assert.ok(Date.now() < deadline, 'no block committed the evidence in time');
        await new Promise((r) => setTimeout(r, 50));
      }
      if (bytesEqual((await at(h)).header.evidenceHash, itemsHash([evidence]))) break;
    }
  });

  it('SubmitEvidence refuses bytes that are not evidence with a coded error', async () => {
    await assert.rejects(
      nic.consensusSubmitEvidence({ meta: new Uint8Array([0xa0]) }),
      (e) =>
        e instanceof oasis.client.OasisCodedError &&
        e.oasisModule === 'consensus/evidence' &&
        e.oasisCode === 1,
    );
  });
});
