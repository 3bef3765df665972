/**
 * A byzantine compute node over real processes: a localnet whose compute-1 runs with
 * `debug.executor_mode: dishonest` (it commits a wrong state root). Transfers submitted through an honest
 * node still execute and return their results; whenever the liar is a plain worker its commitment starts a
 * discrepancy that the backup resolves with the honest result, and its entity is slashed the runtime's
 * incorrect-results amount, while the honest entities lose nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { loadNodeIdentity } from '../../src/crypto/signer/node_identity.ts';
import type { LocalnetNode } from '../../src/localnet/manifest.ts';
import { RUNTIME_SLASH } from '../../src/localnet/prepare.ts';
import { type ParaTimeClient, startParaTimeNet } from './paratime_client.ts';

describe('a dishonest compute node', { timeout: 240_000 }, () => {
  let compute: LocalnetNode[];
  let rt: ParaTimeClient;
  let stop: () => Promise<void>;

  before(async () => {
    ({ compute, rt, stop } = await startParaTimeNet('byz-rt', {
      validators: 1,
      executorModes: { 1: 'dishonest' },
    }));
  });

  after(() => stop?.());

  /** The active escrow of each compute node's entity. */
  async function escrows(): Promise<bigint[]> {
    return Promise.all(
      compute.map(async (n) => {
        const node = await rt.nic.registryGetNode({
          height: 0,
          id: loadNodeIdentity(n.data_dir).node.publicKey,
        });
        const owner = oasis.staking.addressFromPublicKey(node.entity_id);
        const account = await rt.nic.stakingAccount({ height: 0, owner });
        return oasis.quantity.toBigInt(account.escrow?.active?.balance ?? new Uint8Array());
      }),
    );
  }

  it('is outvoted and slashed while transfers through honest nodes succeed', async () => {
    const before = await escrows();
    const start = await rt.balance(rt.recipient);
    let sent = 0n;
    let now = before;
    // The liar is a plain worker in about half of the rounds; a handful of transfers is enough.
    for (let i = 0; i < 20 && now[1]! === before[1]!; i++) {
      const landed = await rt.transfer(100n);
      assert.deepEqual(landed.outcome, { ok: null });
      sent += 100n;
      now = await escrows();
    }
    assert.equal(await rt.balance(rt.recipient), start + sent, 'every transfer executed once');
    const lost = before[1]! - now[1]!;
    assert.ok(
      lost > 0n && lost % RUNTIME_SLASH === 0n,
      `the liar lost a multiple of the slash amount: ${lost}`,
    );
    for (const i of [0, 2]) assert.ok(now[i]! >= before[i]!, `honest compute-${i} was not slashed`);
  });
});
