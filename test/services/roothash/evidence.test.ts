import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import type { ExecutorCommitment } from '../../../src/services/roothash/api/commitment.ts';
import { evidenceBodyCodec } from '../../../src/services/roothash/api/evidence.ts';
import { RoothashMethods } from '../../../src/services/roothash/api/methods.ts';
import { SlashReason } from '../../../src/services/staking/api/params.ts';
import { addr, key, nodeKeys } from '../registry/fixture.ts';
import { expectFailure, expectOk } from '../registry/helpers.ts';
import {
  COMPUTE_NODES,
  commitment,
  committeeNodes,
  nextScheduler,
  RUNTIME,
  roothashChain,
  submit,
} from './fixture.ts';

const PENALTY = { amount: 200n, freeze_interval: 2n };

function chain() {
  const c = roothashChain({
    runtime: (rt) => {
      rt.staking.slashing.set(SlashReason.runtimeEquivocation, PENALTY);
      rt.staking.reward_equivocation = 50;
    },
  });
  c.advanceToEpoch(1n);
  const scheduler = nextScheduler(c);
  const other = committeeNodes(c).workers.find((w) => w !== scheduler)!;
  return { c, scheduler, other };
}

const body = (a: ExecutorCommitment, b: ExecutorCommitment) =>
  evidenceBodyCodec.encode({ id: RUNTIME, equivocation_executor: { commit_a: a, commit_b: b } });

describe('roothash executor equivocation evidence', () => {
  it('slashes and freezes the equivocating node once, rewarding the submitter', () => {
    const { c, other } = chain();
    const entity = addressFromPublicKey(key(COMPUTE_NODES.get(other)!).publicKey);
    const escrow0 = c.staking.account(entity).escrow.active.balance;
    const submitter0 = c.staking.account(addr(1)).general.balance;
    const ev = body(commitment(c, other, { variant: 'a' }), commitment(c, other, { variant: 'b' }));
    expectOk(c.run(key(1), RoothashMethods.evidence, ev));
    assert.equal(c.staking.account(entity).escrow.active.balance, escrow0 - PENALTY.amount);
    assert.equal(c.staking.account(addr(1)).general.balance, submitter0 + PENALTY.amount / 2n);
    const status = c.registry.nodeStatus(nodeKeys(other).node.publicKey);
    assert.equal(status.freeze_end_time, c.epoch + PENALTY.freeze_interval);
    expectFailure(c, key(1), RoothashMethods.evidence, ev, 'roothash', 9);
  });

  it('refuses agreeing commitments, other nodes, forged signatures and stale rounds', () => {
    const { c, scheduler, other } = chain();
    const a = commitment(c, other, { variant: 'a' });
    expectFailure(
      c,
      key(1),
      RoothashMethods.evidence,
      body(a, commitment(c, other, { variant: 'a' })),
      'roothash',
      10,
    );
    expectFailure(
      c,
      key(1),
      RoothashMethods.evidence,
      body(a, commitment(c, scheduler, { variant: 'b' })),
      'roothash',
      10,
    );
    const forged = { ...commitment(c, other, { variant: 'b' }), sig: new Uint8Array(64).fill(3) };
    expectFailure(c, key(1), RoothashMethods.evidence, body(a, forged), 'roothash', 10);
    const b = commitment(c, other, { variant: 'b' });
    c.closeOpenBlock();
    for (let round = 0; round < 2; round++) {
      const s = nextScheduler(c);
      expectOk(
        submit(
          c,
          committeeNodes(c).workers.map((w) => commitment(c, w, { scheduler: s })),
        ).results[0]!,
      );
    }
    expectFailure(c, key(1), RoothashMethods.evidence, body(a, b), 'roothash', 10);
  });
});
