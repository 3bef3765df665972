/**
 * A validator run with `debug.double_sign` equivocates on every vote. Honest validators prove it with
 * duplicate-vote evidence that lands in a block; staking slashes its entity's escrow and the registry
 * freezes its node; the scheduler drops it from the validator set; the chain goes on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { toHex } from '../../src/codec/bytes.ts';
import { quantityFromBytes } from '../../src/codec/quantity.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { loadNodeIdentity } from '../../src/crypto/signer/node_identity.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ESCROW = 1_000_000n * 10n ** 9n;

describe('a double-signing validator (real processes)', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-byz-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  let client: NodeClient;

  before(async () => {
    net = await prepareLocalnet({
      dir,
      validators: 4,
      timeoutCommitMs: 200,
      epochInterval: 10,
      byzantine: [3],
    });
    for (const n of net.nodes) procs.start(n);
    await Promise.all(net.nodes.map((n) => procs.waitHeight(n, 2, 90_000)));
    client = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
  });

  after(async () => {
    client?.close();
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('is slashed and frozen through evidence in a block, and leaves the validator set', async () => {
    const byzantine = loadNodeIdentity(net.nodes[3]!.data_dir);
    const node = (await client.call('oasis-core.Registry', 'GetNode', {
      height: 0,
      id: byzantine.node.publicKey,
    })) as {
      entity_id: Uint8Array;
    };
    const entity = addressFromPublicKey(node.entity_id);
    let frozen = false;
    for (let i = 0; i < 150 && !frozen; i++) {
      const status = (await client.call('oasis-core.Registry', 'GetNodeStatus', {
        height: 0,
        id: byzantine.node.publicKey,
      })) as { freeze_end_time?: number | bigint } | null;
      frozen = BigInt(status?.freeze_end_time ?? 0) > 0n;
      if (!frozen) await sleep(400);
    }
    assert.ok(frozen, 'the equivocating node was frozen');
    const account = (await client.call('oasis-core.Staking', 'Account', { height: 0, owner: entity })) as {
      escrow: { active: { balance: Uint8Array } };
    };
    const left = quantityFromBytes(account.escrow.active.balance);
    assert.ok(left < ESCROW, `escrow slashed (left ${left} of ${ESCROW})`);
    // Outside the base epoch the scheduler re-elects at once; in it, at the next epoch (as oasis-core).
    let ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      const validators = (await client.call('oasis-core.Scheduler', 'GetValidators', 0)) as Array<{
        id: Uint8Array;
      }>;
      ids = validators.map((v) => toHex(v.id));
      if (ids.length === 3) break;
      await sleep(400);
    }
    const gone =
      !ids.includes(toHex(byzantine.consensus.publicKey)) && !ids.includes(toHex(byzantine.node.publicKey));
    assert.ok(gone, `the frozen validator left the set (${ids.length} validators: ${ids.join(', ')})`);
    // The chain goes on with the three honest validators.
    const height = await procs.waitHeight(net.nodes[0]!, 0);
    await procs.waitHeight(net.nodes[0]!, height + 3, 60_000);
    assert.equal(ids.length, 3);
  });
});
