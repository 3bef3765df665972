/**
 * A validator whose registration lasts only two epochs keeps renewing it before it expires, so it stays
 * registered and in the validator set epoch after epoch (real process).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { loadNodeIdentity } from '../../src/crypto/signer/node_identity.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';

describe('node registration renewal (real process)', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-reg-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;

  before(async () => {
    net = await prepareLocalnet({
      dir,
      validators: 1,
      timeoutCommitMs: 150,
      epochInterval: 5,
      nodeExpiration: 2n,
    });
    procs.start(net.nodes[0]!);
    await procs.waitHeight(net.nodes[0]!, 2, 90_000);
  });

  after(async () => {
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('renews before expiry and stays a validator', async () => {
    await procs.waitHeight(net.nodes[0]!, 36, 120_000); // epoch 7, long past the first expiration (2)
    const client = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
    try {
      const id = loadNodeIdentity(net.nodes[0]!.data_dir).node.publicKey;
      const node = (await client.call('oasis-core.Registry', 'GetNode', { height: 0, id })) as {
        expiration: number;
      };
      const epoch = Number(await client.call('oasis-core.Beacon', 'GetEpoch', 0));
      assert.ok(epoch >= 7, `epoch ${epoch}`);
      assert.ok(
        Number(node.expiration) > epoch,
        `registration renewed past epoch ${epoch} (expires ${node.expiration})`,
      );
      const validators = (await client.call('oasis-core.Scheduler', 'GetValidators', 0)) as unknown[];
      assert.equal(validators.length, 1);
    } finally {
      client.close();
    }
  });
});
