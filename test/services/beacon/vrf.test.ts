import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { concatBytes, toHex, u64be, utf8 } from '../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { vrfProve, vrfVerify } from '../../../src/crypto/ecvrf.ts';
import { tupleHash256 } from '../../../src/crypto/tuplehash.ts';
import { METHOD_VRF_PROVE } from '../../../src/services/beacon/api/methods.ts';
import { getBeacon, getVrfState } from '../../../src/services/beacon/api/queries.ts';
import { BEACON_VRF_OPTIONS, vrfStateCodec } from '../../../src/services/beacon/api/vrf.ts';
import { vrfProveBody } from '../../../src/services/beacon/prover.ts';
import { vrfState } from '../../../src/services/beacon/state.ts';
import { electionBetas } from '../../../src/services/beacon/vrf.ts';
import { RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { signNode } from '../../../src/services/registry/api/node.ts';
import { EPOCH_INVALID } from '../../../src/services/registry/api/status.ts';
import { RegistryState } from '../../../src/services/registry/state.ts';
import { memoryState } from '../../../src/state/overlay.ts';
import { key, nodeDescriptor, nodeKeys } from '../registry/fixture.ts';
import { CHAIN_CONTEXT, VrfChain } from './vrf_chain.ts';

const ALPHA_CTX = utf8('oasis-core:vrf/alpha');
const seedOf = (n: number) => nodeKeys(n).vrf.seed();
const prover = (n: number) => ({ nodeId: nodeKeys(n).node.publicKey, vrfSeed: seedOf(n) });

/** Node `n`'s proof transaction for the chain's current alpha (built by the prover, as a node would). */
function proofTx(chain: VrfChain, n: number): Uint8Array {
  const body = vrfProveBody(chain.state, prover(n), chain.height);
  assert.ok(body, `node ${n} has a proof to submit at height ${chain.height}`);
  return chain.sign(nodeKeys(n).node, METHOD_VRF_PROVE, body);
}

function errorOf(r: { error?: { module: string; code: number } }): string {
  return r.error ? `${r.error.module}/${r.error.code}` : 'ok';
}

function le64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

function sha3(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(
    createHash('sha3-256')
      .update(concatBytes(...parts))
      .digest(),
  );
}

describe('VRF beacon backend', () => {
  it('accepts valid proofs from registered nodes and rejects every bad one with a coded error', () => {
    const chain = new VrfChain();
    chain.block(); // height 1: bootstrap state, epoch 0, submit_after 3
    const s0 = vrfState(chain.state)!;
    assert.equal(s0.epoch, 0n);
    assert.equal(s0.submitAfter, 3);
    assert.equal(s0.alphaIsHighQuality, false);
    const alpha = s0.alpha;
    const node1 = nodeKeys(1).node;
    const body = { epoch: 0n, pi: vrfProve(seedOf(1), alpha, BEACON_VRF_OPTIONS) };

    // Too early: heights 2 and 3 are not above submit_after; the prover does not offer a body either.
    assert.equal(vrfProveBody(chain.state, prover(1), 3), undefined);
    chain.runUntil(3);
    assert.equal(errorOf(chain.block([chain.sign(node1, METHOD_VRF_PROVE, body)])[0]!), 'beacon/3');

    const proveTx = (b: unknown, later: number) => chain.sign(node1, METHOD_VRF_PROVE, b, later);
    const pi = (seed: Uint8Array, over: Uint8Array) => vrfProve(seed, over, BEACON_VRF_OPTIONS);
    const results = chain.block([
      chain.sign(key(1), METHOD_VRF_PROVE, body), // the entity, not a node
      proveTx({ ...body, epoch: 1n }, 0), // wrong epoch
      proveTx({ epoch: 0n, pi: pi(seedOf(1), utf8('other alpha')) }, 1),
      proveTx({ epoch: 0n, pi: pi(seedOf(2), alpha) }, 2), // node 2's key
      proveTx({ epoch: 0n, pi: vrfProve(seedOf(1), alpha) }, 3), // RFC 9381 variant, not oasis-core's
      proveTx({ epoch: 0n, pi: body.pi.subarray(0, 79) }, 4), // malformed
      proveTx({ epoch: 0n, pi: body.pi, extra: 1 }, 5), // unknown field
      proveTx(body, 6), // valid
      proveTx(body, 7), // the same proof again is harmless
    ]);
    assert.deepEqual(results.map(errorOf), [
      'beacon/4',
      'beacon/5',
      'beacon/6',
      'beacon/6',
      'beacon/6',
      'beacon/2',
      'beacon/2',
      'ok',
      'ok',
    ]);
    assert.equal(results[7]!.gasUsed, 1000n);
    const s = vrfState(chain.state)!;
    assert.deepEqual([...s.pi.keys()], [toHex(node1.publicKey)]);
    assert.deepEqual(s.pi.get(toHex(node1.publicKey))!.publicKey, nodeKeys(1).vrf.publicKey);
    assert.equal(vrfProveBody(chain.state, prover(1), chain.height), undefined); // already recorded
    assert.ok(vrfProveBody(chain.state, prover(2), chain.height));
    // A node proving with a key other than its registered VRF key gets nothing from the prover.
    assert.equal(vrfProveBody(chain.state, { ...prover(2), vrfSeed: seedOf(3) }, chain.height), undefined);
  });

  it('rejects a second proof with another beta (VRF key changed by re-registration); CheckTx stores nothing', () => {
    const chain = new VrfChain();
    chain.runUntil(4);
    // CheckTx validates the proof but leaves the state untouched.
    const scratch = memoryState();
    for (const [k, v] of chain.state.entries(new Uint8Array(0))) scratch.set(k, v);
    const checked = chain.mux.checkTx(scratch, proofTx(chain, 1), chain.height);
    assert.equal(checked.error, undefined);
    assert.equal(vrfState(scratch)!.pi.size, 0);
    assert.deepEqual(chain.block([proofTx(chain, 1)]).map(errorOf), ['ok']);

    const newVrf = key(199);
    const desc = { ...nodeDescriptor(1, 1, { expiration: 50n }), vrf: { id: newVrf.publicKey } };
    const signed = signNode({ ...nodeKeys(1), vrf: newVrf }, desc);
    const again = {
      epoch: 0n,
      pi: vrfProve(newVrf.seed(), vrfState(chain.state)!.alpha, BEACON_VRF_OPTIONS),
    };
    const results = chain.block([
      chain.sign(nodeKeys(1).node, RegistryMethods.registerNode, signed),
      chain.sign(nodeKeys(1).node, METHOD_VRF_PROVE, again, 1),
    ]);
    assert.deepEqual(results.map(errorOf), ['ok', 'beacon/7']);
  });

  it('derives a high-quality alpha from the betas of enough proofs, then falls back without them', () => {
    const chain = new VrfChain();
    chain.runUntil(4);
    const alpha0 = vrfState(chain.state)!.alpha;
    assert.deepEqual(chain.block([proofTx(chain, 3), proofTx(chain, 1)]).map(errorOf), ['ok', 'ok']);
    chain.runUntil(6);
    chain.block(); // height 6: transition to epoch 1
    const s1 = vrfState(chain.state)!;
    assert.equal(s1.epoch, 1n);
    assert.equal(s1.alphaIsHighQuality, true);
    assert.equal(s1.submitAfter, 8);
    assert.equal(s1.pi.size, 0);
    assert.equal(s1.prevState!.canElectCommittees, false); // the bootstrap alpha was low quality
    assert.equal(s1.prevState!.pi.size, 2);
    const forElections = electionBetas(chain.state)!;
    assert.equal(forElections.canElectCommittees, false);
    // alpha = TupleHash256(chain context, BE64(epoch), betas by node ID), recomputed from scratch.
    const betas = [1, 3]
      .map((n) => ({ id: toHex(nodeKeys(n).node.publicKey), n }))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(
        ({ n }) =>
          vrfVerify(
            nodeKeys(n).vrf.publicKey,
            vrfProve(seedOf(n), alpha0, BEACON_VRF_OPTIONS),
            alpha0,
            BEACON_VRF_OPTIONS,
          )!,
      );
    const expected = tupleHash256(ALPHA_CTX, [utf8(CHAIN_CONTEXT), u64be(1n), ...betas]);
    assert.deepEqual([...forElections.betas.values()], betas);
    assert.equal(toHex(s1.alpha), toHex(expected));
    assert.equal(toHex(getBeacon(chain.state)), toHex(sha3(utf8('EkB-tmnt'), expected, le64(1))));

    // Epoch 1: a single proof is below the threshold of 2.
    chain.runUntil(9);
    assert.deepEqual(chain.block([proofTx(chain, 2)]).map(errorOf), ['ok']);
    chain.runUntil(12);
    const proposer = new Uint8Array(32).fill(7);
    chain.block([], proposer); // height 12: transition to epoch 2
    const s2 = vrfState(chain.state)!;
    assert.equal(s2.epoch, 2n);
    assert.equal(s2.alphaIsHighQuality, false);
    assert.equal(s2.prevState!.canElectCommittees, true);
    assert.deepEqual([...s2.prevState!.pi.keys()], [toHex(nodeKeys(2).node.publicKey)]);
    const entropy = sha3(le64(12), le64(1_700_000_012), proposer); // height, time, proposer
    assert.equal(toHex(s2.alpha), toHex(tupleHash256(ALPHA_CTX, [utf8(CHAIN_CONTEXT), u64be(2n), entropy])));
  });

  it('gives every replica the same state, and no proposer can steer a high-quality alpha', () => {
    const run = (proposerFill: number, proofs: number[]) => {
      const chain = new VrfChain();
      chain.runUntil(4);
      chain.block(proofs.map((n) => proofTx(chain, n)));
      chain.runUntil(6);
      chain.block([], new Uint8Array(32).fill(proposerFill));
      return {
        alpha: toHex(vrfState(chain.state)!.alpha),
        state: [...chain.state.entries(new Uint8Array(0))],
      };
    };
    const a = run(1, [1, 2, 3]);
    const b = run(1, [1, 2, 3]);
    assert.deepEqual(a.state, b.state); // two replicas, same blocks: identical state
    assert.equal(run(2, [1, 2, 3]).alpha, a.alpha); // another proposer: same alpha
    assert.notEqual(run(1, [1, 2]).alpha, a.alpha); // other proofs: another alpha
    assert.notEqual(run(1, [1]).alpha, run(2, [1]).alpha); // low quality: the block decides
  });

  it('makes nodes awaiting eligibility (election_eligible_after = never) eligible from the new epoch', () => {
    const chain = new VrfChain();
    chain.block();
    const eligibleAfter = (n: number) =>
      new RegistryState(chain.state).nodeStatusOrEmpty(nodeKeys(n).node.publicKey).election_eligible_after;
    const node3 = nodeKeys(3).node.publicKey;
    const registry = new RegistryState(chain.state);
    registry.setNodeStatus(node3, { ...registry.nodeStatusOrEmpty(node3), election_eligible_after: 0n });
    assert.equal(eligibleAfter(1), EPOCH_INVALID); // genesis nodes wait for the first transition
    chain.runUntil(7); // the transition to epoch 1 ran at height 6
    assert.deepEqual([1, 2, 3].map(eligibleAfter), [1n, 1n, 0n]); // node 3 was already eligible
  });

  it('stores the VRF state with oasis-core keys, including prev_state "pi.omitempty"', () => {
    const chain = new VrfChain();
    chain.runUntil(4);
    chain.block([proofTx(chain, 1)]);
    chain.runUntil(7);
    const state = vrfState(chain.state)!;
    const cbor = encodeCanonical(vrfStateCodec.encode(state));
    const raw = decodeCanonical(cbor) as Record<string, unknown>;
    assert.deepEqual(Object.keys(raw).sort(), ['alpha', 'epoch', 'prev_state', 'submit_after']);
    const prev = raw.prev_state as Record<string, unknown>;
    assert.deepEqual(Object.keys(prev), ['pi.omitempty']);
    const entry = (prev['pi.omitempty'] as Map<Uint8Array, Record<string, unknown>>).values().next().value!;
    assert.deepEqual(Object.keys(entry).sort(), ['proof', 'public_key']);
    assert.deepEqual(
      encodeCanonical(vrfStateCodec.encode(vrfStateCodec.decode(decodeCanonical(cbor), 'vrf'))),
      cbor,
    );
    assert.deepEqual(encodeCanonical(getVrfState(chain.state)), cbor);
  });
});
