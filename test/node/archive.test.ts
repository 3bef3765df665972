/**
 * Archive mode over the data directory a network left behind: a single-validator chain runs in this
 * process (with a transfer at a known height) and stops for an upgrade this software cannot run (a live
 * node refuses to open it then); the same data directory is opened with
 * `mode: archive`, which serves the old heights (blocks, state queries before and after the transfer)
 * over gRPC, produces no blocks, and refuses transactions with consensus/4. Its ParaTimes: archive_runtime.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { fromHex } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { quantityFromBytes, quantityToBytes } from '../../src/codec/quantity.ts';
import { encodeSignedTransaction, signTransaction } from '../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { CodedError } from '../../src/errors.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { loadConfig } from '../../src/node/config.ts';
import { Node } from '../../src/node/node.ts';
import { fileUpgradeStore, upgradeRecordPath } from '../../src/node/upgrades.ts';
import { UpgradeManager, UpgradeRefusedError } from '../../src/services/upgrade/manager.ts';
import { CONSENSUS_PROTOCOL_VERSION } from '../../src/version.ts';
import { descriptor } from '../services/upgrade/memory_store.ts';

describe('archive mode', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-archive-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves every height of a stopped chain read-only and refuses transactions', async () => {
    const net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 50, epochInterval: 5 });
    const configFile = net.nodes[0]!.config;
    const socket = `unix:${net.nodes[0]!.internal_socket}`;
    const key = Ed25519KeyPair.fromSeed(fromHex(net.accounts[0]!.seed_hex));
    const recipient = addressFromPublicKey(new Uint8Array(32).fill(7));
    const transfer = (nonce: bigint) =>
      decodeCanonical(
        encodeSignedTransaction(
          signTransaction(
            key,
            {
              nonce,
              method: 'staking.Transfer',
              fee: { amount: 0n, gas: 1_000_000n },
              body: { to: recipient, amount: quantityToBytes(4242n) },
            },
            net.chain_context,
          ),
        ),
      );

    // The live chain: a transfer lands at `txHeight`, then a few more blocks.
    const live = await Node.start(loadConfig(configFile));
    const liveClient = new NodeClient(socket);
    let txHeight: number;
    try {
      const included = (await liveClient.call(
        'oasis-core.Consensus',
        'SubmitTx',
        transfer(0n),
        60_000,
      )) as null;
      assert.equal(included, null);
      txHeight = live.view.latestHeight();
      const deadline = Date.now() + 30_000;
      while (live.view.latestHeight() < Math.max(txHeight + 3, 12) && Date.now() < deadline) await sleep(50);
      assert.ok(live.view.latestHeight() >= Math.max(txHeight + 3, 12), 'past epoch 1');
    } finally {
      liveClient.close();
      await live.stop();
    }
    // The chain stopped for an upgrade this software cannot run (as when a network upgrades): it scheduled
    // one at epoch 1, so a live node refuses to open the data directory, while an archive node serves it.
    const dataDir = loadConfig(configFile).common.data_dir;
    new UpgradeManager({
      store: fileUpgradeStore(upgradeRecordPath(dataDir)),
      ownVersion: CONSENSUS_PROTOCOL_VERSION,
    }).submitDescriptor(descriptor(1n, CONSENSUS_PROTOCOL_VERSION.major + 1));
    await assert.rejects(Node.start(loadConfig(configFile)), UpgradeRefusedError);

    // The same data directory in archive mode.
    const config = parseYaml(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(configFile, toYaml({ ...config, mode: 'archive' }), { mode: 0o600 });
    const archive = await Node.start(loadConfig(configFile));
    const client = new NodeClient(socket);
    try {
      const latest = Number(await client.call('oasis-core.Consensus', 'GetLatestHeight', undefined, 5_000));
      assert.ok(latest >= txHeight + 3, `archive serves up to ${latest}`);
      const balanceAt = async (height: number) => {
        const account = (await client.call(
          'oasis-core.Staking',
          'Account',
          { height, owner: recipient },
          5_000,
        )) as { general?: { balance?: Uint8Array } };
        return account.general?.balance === undefined ? 0n : quantityFromBytes(account.general.balance);
      };
      // An old height before the transfer, the transfer's height, the last one.
      assert.equal(await balanceAt(txHeight - 1), 0n);
      assert.equal(await balanceAt(txHeight), 4242n);
      assert.equal(await balanceAt(latest), 4242n);
      const old = (await client.call('oasis-core.Consensus', 'GetBlock', 2, 5_000)) as { height: number };
      assert.equal(Number(old.height), 2);

      // Transactions are refused with consensus/4, and nothing changes.
      await assert.rejects(
        client.call('oasis-core.Consensus', 'SubmitTx', transfer(1n), 10_000),
        (err: unknown) =>
          err instanceof CodedError &&
          err.module === 'consensus' &&
          err.code === 4 &&
          /archive/.test(err.message),
      );
      await assert.rejects(
        client.call('oasis-core.Consensus', 'SubmitTxNoWait', transfer(1n), 10_000),
        (err: unknown) => err instanceof CodedError && err.module === 'consensus' && err.code === 4,
      );
      // No blocks are produced.
      await sleep(1_000);
      assert.equal(
        Number(await client.call('oasis-core.Consensus', 'GetLatestHeight', undefined, 5_000)),
        latest,
      );
      const status = (await client.call('oasis-core.NodeController', 'GetStatus', undefined, 5_000)) as {
        mode: string;
      };
      assert.equal(status.mode, 'archive');
      const consensus = (await client.call('oasis-core.Consensus', 'GetStatus', undefined, 5_000)) as {
        features: number;
        latest_height: number;
      };
      assert.equal(consensus.features, 5, 'services | archive');
      assert.equal(Number(consensus.latest_height), latest);
    } finally {
      client.close();
      await archive.stop();
    }
  });
});
