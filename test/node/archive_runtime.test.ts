/**
 * A ParaTime's history after its chain stopped: a validator and a compute node (real processes) run the
 * accounts ParaTime for more rounds than a node keeps in its working set of states (64), each round a
 * transfer. The live compute node (pruning `none`) answers a balance query at the first of them; then the
 * chain stops and the compute node's data directory is opened in `mode: archive`, which hosts the runtime
 * read-only: blocks, transactions and queries at old rounds are answered through the official client,
 * a round whose state the data directory no longer holds is refused with runtime/client 1, and runtime
 * transactions are refused with consensus/4.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { toHex } from '../../src/codec/bytes.ts';
import { encodeCanonical } from '../../src/codec/cbor.ts';
import { sha512_256 } from '../../src/crypto/hash.ts';
import { CodedError } from '../../src/errors.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { loadConfig } from '../../src/node/config.ts';
import { Node } from '../../src/node/node.ts';
import { runtimeDirName } from '../../src/runtime/node/hosted_runtime.ts';
import { LmdbTreeStore } from '../../src/runtime/node/state/lmdb_tree_store.ts';
import { type Landed, ParaTimeClient } from '../e2e/paratime_client.ts';

/** More rounds than the 64 states a node's working set holds. */
const ROUNDS = 70;

const isCoded = (module: string, code: number, message?: RegExp) => (err: unknown) =>
  err instanceof CodedError &&
  err.module === module &&
  err.code === code &&
  (message === undefined || message.test(err.message));

describe('archive mode with a ParaTime', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-archive-rt-'));
  const procs = new LocalnetProcesses();
  after(async () => {
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the runtime history of a stopped chain read-only, older rounds included', async () => {
    const epochInterval = 20;
    const net = await prepareLocalnet({
      dir,
      validators: 1,
      compute: 1,
      runtime: 'accounts',
      timeoutCommitMs: 50,
      epochInterval,
    });
    const compute = net.nodes.find((n) => n.roles.includes('compute'))!;
    for (const n of net.nodes) n.pid = procs.start(n);
    await procs.waitHeight(compute, epochInterval + 2, 120_000);
    const rt = new ParaTimeClient(net, compute);
    await rt.waitSynced(120_000);

    // One transfer per round, each of a different amount: the recipient's balance differs at every round.
    const before = await rt.balance(rt.recipient);
    const landed: Landed[] = [];
    let nonce = await rt.nonce();
    for (let i = 1; i <= ROUNDS; i++) {
      const l = await rt.submit(await rt.signedTransfer(BigInt(i), nonce++));
      assert.deepEqual(l.outcome, { ok: null }, `transfer ${i}`);
      landed.push(l);
    }
    const first = landed[0]!;
    const rounds = new Set(landed.map((l) => l.round));
    assert.ok(rounds.size > 64, `only ${rounds.size} rounds`);
    // The live node kept the state of the first of them (the working set alone would have dropped it).
    assert.equal(await rt.balance(rt.recipient, first.round), before + 1n);
    const runtimeId = rt.runtimeId;
    const gone = landed[10]!;
    const goneRoot = (await rt.nic.runtimeClientGetBlock({ runtime_id: runtimeId, round: gone.round })).header
      .state_root;
    await procs.stopAll();

    // The state of one later round leaves the data directory (as pruning would let go of it).
    const dataDir = loadConfig(compute.config).common.data_dir;
    const store = LmdbTreeStore.open(join(dataDir, 'runtimes', runtimeDirName(toHex(runtimeId)), 'state'));
    store.release(goneRoot);
    await store.close();

    const config = parseYaml(readFileSync(compute.config, 'utf8')) as Record<string, unknown>;
    writeFileSync(compute.config, toYaml({ ...config, mode: 'archive' }), { mode: 0o600 });
    const archive = await Node.start(loadConfig(compute.config));
    const client = new NodeClient(`unix:${compute.internal_socket}`);
    try {
      // Blocks, transactions and queries at old rounds, through the official client.
      const block = await rt.nic.runtimeClientGetBlock({ runtime_id: runtimeId, round: first.round });
      assert.equal(BigInt(block.header.round), first.round);
      const retained = await rt.nic.runtimeClientGetLastRetainedBlock(runtimeId);
      assert.equal(BigInt(retained.header.round), 0n);
      const txs = await rt.nic.runtimeClientGetTransactions({ runtime_id: runtimeId, round: first.round });
      assert.deepEqual(
        txs.map((t) => toHex(sha512_256(t))),
        [toHex(sha512_256(first.tx))],
      );
      for (const [i, l] of landed.entries()) {
        if (l === gone) continue;
        assert.equal(await rt.balance(rt.recipient, l.round), before + BigInt(((i + 1) * (i + 2)) / 2));
      }
      assert.equal(
        await rt.balance(rt.recipient),
        before + BigInt((ROUNDS * (ROUNDS + 1)) / 2),
        'the latest round',
      );
      // A round whose state the data directory no longer holds: its block is there, its state is refused.
      await rt.nic.runtimeClientGetBlock({ runtime_id: runtimeId, round: gone.round });
      const args = encodeCanonical({ address: rt.recipient });
      await assert.rejects(
        client.call(
          'oasis-core.RuntimeClient',
          'Query',
          { runtime_id: runtimeId, round: gone.round, method: 'accounts.Balances', args },
          10_000,
        ),
        isCoded('runtime/client', 1, /not kept/),
      );

      // Runtime transactions are refused, and nothing changes.
      const tx = { runtime_id: runtimeId, data: await rt.signedTransfer(1n, nonce) };
      for (const method of ['SubmitTx', 'SubmitTxMeta', 'SubmitTxNoWait', 'CheckTx'])
        await assert.rejects(
          client.call('oasis-core.RuntimeClient', method, tx, 10_000),
          isCoded('consensus', 4, /archive/),
          method,
        );
      const latest = await rt.nic.runtimeClientGetBlock({ runtime_id: runtimeId, round: rt.latestRound });
      assert.equal(BigInt(latest.header.round), landed[ROUNDS - 1]!.round);
    } finally {
      client.close();
      await archive.stop();
    }
  });
});
