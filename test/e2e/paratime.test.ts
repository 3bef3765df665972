/**
 * ParaTimes over real processes: a localnet of 4 validators and 3 compute nodes hosting the accounts
 * ParaTime. The runtime is registered at genesis and gets an executor committee each epoch; transfers
 * signed by `@oasisprotocol/client-rt` and submitted through a compute node's gRPC-web are executed and
 * their results returned; the state root on consensus is the one every compute node holds and answers
 * queries from. A full transaction pool refuses at once with a coded error. A compute node killed mid-run
 * does not stop the runtime, and it catches up after restart.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { loadNodeIdentity } from '../../src/crypto/signer/node_identity.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import type { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { eventKey } from '../../src/runtime/protocol/events.ts';
import { HeaderType } from '../../src/services/roothash/api/block.ts';
import { editNodeConfig, ParaTimeClient, startParaTimeNet } from './paratime_client.ts';
import { waitUntil } from './wait_until.ts';

/** Transactions the client node's pool holds. */
const POOL = 3;
const clientNode = (net: LocalnetManifest) => net.nodes.find((n) => n.roles.includes('observer'))!;

describe('ParaTimes on a localnet (4 validators, 3 compute nodes)', { timeout: 300_000 }, () => {
  let net: LocalnetManifest;
  let procs: LocalnetProcesses;
  let compute: LocalnetNode[];
  let rt: ParaTimeClient;
  let stop: () => Promise<void>;

  before(async () => {
    // The client node's pool holds POOL transactions, so a burst overflows it.
    ({ net, procs, compute, rt, stop } = await startParaTimeNet(
      'paratime',
      { validators: 4, clients: 1 },
      (n) =>
        editNodeConfig(clientNode(n), (config) => {
          (config.runtimes as Array<Record<string, unknown>>)[0]!.tx_pool = { max_txs: POOL };
        }),
    ));
  });

  after(() => stop?.());

  it('registers the runtime and elects an executor committee of the compute nodes every epoch', async () => {
    const nic = rt.nic;
    const runtimes = await nic.registryGetRuntimes({ height: 0, include_suspended: false });
    assert.deepEqual(
      runtimes.map((r) => toHex(r.id)),
      [net.runtimes[0]!.id],
    );
    const committeeAt = async () => {
      const [c] = await nic.schedulerGetCommittees({ height: 0, runtime_id: rt.runtimeId });
      return c!;
    };
    const first = await committeeAt();
    assert.equal(first.members!.filter((m) => m.role === 1).length, 2);
    assert.equal(first.members!.filter((m) => m.role === 2).length, 1);
    const epoch = BigInt(first.valid_for);
    const height = await procs.height(net.nodes[0]!);
    await procs.waitHeight(net.nodes[0]!, height! + 13, 60_000);
    assert.ok(BigInt((await committeeAt()).valid_for) > epoch, 'a new committee for the next epoch');
  });

  it('executes a client-rt transfer submitted through a compute node and returns its result', async () => {
    const before = await rt.balance(rt.recipient);
    const landed = await rt.transfer(1234n);
    assert.deepEqual(landed.outcome, { ok: null }, 'accounts.Transfer succeeds and returns unit');
    assert.equal(await rt.balance(rt.recipient), before + 1234n);
    const block = await rt.nic.runtimeClientGetBlock({ runtime_id: rt.runtimeId, round: landed.round });
    assert.equal(block.header.header_type, HeaderType.normal);
    const txs = await rt.nic.runtimeClientGetTransactions({ runtime_id: rt.runtimeId, round: landed.round });
    assert.equal(toHex(txs[landed.batchOrder]!), toHex(landed.tx));
    const events = await rt.nic.runtimeClientGetEvents({ runtime_id: rt.runtimeId, round: landed.round });
    const ours = events.filter((e) => toHex(e.tx_hash) === toHex(oasis.hash.hash(landed.tx)));
    assert.deepEqual(
      ours.map((e) => toHex(e.key)),
      [toHex(eventKey('accounts', 1))],
      'the accounts Transfer event',
    );
  });

  it('credits a deposit sent from the consensus layer as an incoming message (roothash.SubmitMsg)', async () => {
    const nic = rt.nic;
    const signer = oasis.signature.NaclSigner.fromSeed(
      fromHex(net.accounts[2]!.seed_hex),
      'this key is not important',
    );
    const from = oasis.staking.addressFromPublicKey(signer.public());
    const consensusBalance = async () =>
      oasis.quantity.toBigInt(
        (await nic.stakingAccount({ height: 0, owner: from })).general?.balance ?? new Uint8Array(),
      );
    const beforeConsensus = await consensusBalance();
    const beforeRuntime = await rt.balance(rt.recipient);
    const amount = 777n;
    const tw = oasis.roothash.submitMsgWrapper();
    tw.setNonce(BigInt((await nic.stakingAccount({ height: 0, owner: from })).general?.nonce ?? 0));
    tw.setFeeAmount(oasis.quantity.fromBigInt(0n));
    tw.setFeeGas(100_000n);
    tw.setBody({
      id: rt.runtimeId,
      tokens: oasis.quantity.fromBigInt(amount),
      data: oasis.misc.toCBOR({
        method: 'consensus.Deposit',
        body: {
          to: rt.recipient,
          amount: [oasis.quantity.fromBigInt(amount), oasisRT.token.NATIVE_DENOMINATION],
        },
      }),
    });
    await tw.sign(new oasis.signature.BlindContextSigner(signer), await nic.consensusGetChainContext());
    await tw.submit(nic);
    assert.equal(await consensusBalance(), beforeConsensus - amount);
    // The next round processes the queue (the scheduler proposes for queued messages alone).
    const deadline = Date.now() + 60_000;
    while ((await rt.balance(rt.recipient)) !== beforeRuntime + amount && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    assert.equal(await rt.balance(rt.recipient), beforeRuntime + amount);
    const meta = await nic.rootHashGetIncomingMessageQueueMeta({ height: 0, runtime_id: rt.runtimeId });
    assert.equal(meta.size ?? 0, 0, 'the processed message left the queue');
  });

  it('keeps the state root on consensus equal to what every compute node (and a following client node) holds and serves', async () => {
    const landed = await rt.transfer(1n);
    const consensus = await rt.nic.rootHashGetLatestBlock({ height: 0, runtime_id: rt.runtimeId });
    const client = net.nodes.find((n) => n.roles.includes('observer'))!;
    for (const node of [...compute, client]) {
      const c = new ParaTimeClient(net, node);
      const b = await c.waitForRound(BigInt(consensus.header.round));
      assert.ok(BigInt(consensus.header.round) >= landed.round);
      assert.equal(toHex(b.header.state_root), toHex(consensus.header.state_root), `${node.name} state root`);
      assert.equal(
        await c.balance(rt.recipient),
        await rt.balance(rt.recipient),
        `${node.name} answers alike`,
      );
    }
  });

  it('refuses a submission to a full pool at once with a coded error, stays responsive, and takes it later', async () => {
    const c = new ParaTimeClient(net, clientNode(net), 3);
    const nonce = await c.nonce();
    const txs = await Promise.all(
      Array.from({ length: 4 * POOL }, (_, i) => c.signedTransfer(1n, nonce + BigInt(i))),
    );
    const submit = (tx: Uint8Array) =>
      c.nic.runtimeClientSubmitTxNoWait({ runtime_id: c.runtimeId, data: tx });
    // In nonce order, stopping at the first refusal (a later nonce taken after it would wait for it forever).
    let accepted = 0;
    let refusal: (Error & { oasisModule?: string; oasisCode?: number }) | undefined;
    for (const tx of txs) {
      try {
        await submit(tx);
        accepted++;
      } catch (err) {
        refusal = err as typeof refusal;
        break;
      }
    }
    assert.ok(refusal !== undefined, `a pool of ${POOL} took ${txs.length} submissions in a burst`);
    assert.deepEqual([refusal.oasisModule, refusal.oasisCode], ['runtime/txpool', 1], refusal.message);
    assert.ok(accepted >= POOL, 'what fitted was taken');
    // The node goes on answering, the accepted transfers land, and the refused one is taken once there is room.
    await waitUntil(
      'accepted transfers landed',
      60_000,
      async () => (await c.nonce()) === nonce + BigInt(accepted),
    );
    const landed = await c.submit(txs[accepted]!);
    assert.deepEqual(landed.outcome, { ok: null });
  });

  it('goes on when a committee worker is killed, and the node catches up after a restart', async () => {
    // A worker other than the node clients talk to: its commitments go missing, so rounds wait for the
    // timeout and the backup (or, when it was to schedule, the next-ranked worker proposes).
    const [committee] = await rt.nic.schedulerGetCommittees({ height: 0, runtime_id: rt.runtimeId });
    const workers = committee!.members!.filter((m) => m.role === 1).map((m) => toHex(m.public_key));
    const victim = compute
      .slice(1)
      .find((n) => workers.includes(toHex(loadNodeIdentity(n.data_dir).node.publicKey)))!;
    await procs.stop(victim.name, 'SIGKILL');
    const before = await rt.balance(rt.recipient);
    // The runtime may lose a round to the timeout (the victim's turn to schedule, or its commitment
    // missing); transfers still land.
    for (let i = 0; i < 3; i++) assert.deepEqual((await rt.transfer(10n)).outcome, { ok: null });
    assert.equal(await rt.balance(rt.recipient), before + 30n);
    victim.pid = procs.start(victim);
    const latest = await rt.nic.rootHashGetLatestBlock({ height: 0, runtime_id: rt.runtimeId });
    const c = new ParaTimeClient(net, victim);
    const b = await c.waitForRound(BigInt(latest.header.round), 90_000);
    assert.equal(toHex(b.header.state_root), toHex(latest.header.state_root));
    assert.equal(await c.balance(rt.recipient), before + 30n);
    // It missed the rounds' proposals: it got the latest state from its peers, as a finalized round's write
    // logs on top of the state it held, or as a checkpoint of that round.
    assert.match(
      readFileSync(join(victim.data_dir, 'node.log'), 'utf8'),
      /runtime state restored from a checkpoint|followed round from write logs/,
    );
  });

  it('survives its runtime process being killed: the node restarts it and goes on', async () => {
    const node = compute[0]!;
    const child = runtimeChildOf(node.pid);
    process.kill(child, 'SIGKILL');
    const before = await rt.balance(rt.recipient);
    assert.deepEqual((await rt.transfer(5n)).outcome, { ok: null });
    assert.equal(await rt.balance(rt.recipient), before + 5n);
    assert.notEqual(runtimeChildOf(node.pid), child, 'a new runtime process serves the node');
  });
});

/** The PID of the runtime process a node started (its only child running the ParaTime entry). */
function runtimeChildOf(pid: number): number {
  const entry = 'paratimes/accounts/main.ts';
  const out = execFileSync('pgrep', ['-P', String(pid), '-f', entry], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
  assert.equal(out.length, 1, `one runtime child of ${pid}: ${out}`);
  return out[0]!;
}
