/**
 * Load generator: many funded accounts submit staking.Transfer over gRPC (internal sockets) to a local
 * network; reports committed tx/s, submit→commit latency (p50/p99), block size, CPU per node, and the
 * machine's single-core Ed25519 verify rate measured in the same run, with the ratio.
 * Run: node --import tsx --import ./src/polyfill.ts bench/network/load.bench.ts   (VALIDATORS=1,4 DURATION_MS=… SANITY_CHECKS=1)
 * PROFILE_DIR=dir profiles the nodes' CPU (bench/cpu_profile_hook.mjs; nodes are stopped with SIGTERM so the
 * profiles are written to dir/<validators>v/); read them with bench/profile_top.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { quantityToBytes } from '../../src/codec/quantity.ts';
import {
  encodeSignedTransaction,
  signTransaction,
  transactionHash,
} from '../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { profileChildren } from '../profile_children.ts';
import { reportRow } from '../report.ts';
import { SANITY_CHECKS } from '../sanity_checks.ts';
import { verifyRate } from '../verify_rate.ts';
import { cpuSeconds } from './proc_stats.ts';

const DURATION_MS = Number(process.env.DURATION_MS ?? 20_000);
const ACCOUNTS = Number(process.env.ACCOUNTS ?? 64);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 4);
const VALIDATORS = (process.env.VALIDATORS ?? '1,4').split(',').map(Number);
const PROFILE_DIR = process.env.PROFILE_DIR;

const pct = (xs: number[], p: number) =>
  xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

for (const validators of VALIDATORS) {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-load-'));
  const procs = new LocalnetProcesses();
  try {
    const net = await prepareLocalnet({
      dir,
      validators,
      accounts: ACCOUNTS,
      timeoutCommitMs: 200,
      sanityChecks: SANITY_CHECKS,
    });
    const profiling = PROFILE_DIR ? profileChildren(join(PROFILE_DIR, `${validators}v`)) : undefined;
    const pids = net.nodes.map((n) => procs.start(n));
    profiling?.stop();
    await Promise.all(net.nodes.map((n) => procs.waitHeight(n, 2, 90_000)));
    const clients = net.nodes.map((n) => new NodeClient(`unix:${n.internal_socket}`));
    const keys = net.accounts.map((a) => Ed25519KeyPair.fromSeed(fromHex(a.seed_hex)));
    const to = addressFromPublicKey(keys[0]!.publicKey);
    const submitted = new Map<string, number>();
    const latencies: number[] = [];
    let committed = 0;
    let blockBytes = 0;
    let blocks = 0;
    let stop = false;
    const startHeight = (await procs.height(net.nodes[0]!))!;
    const cpu0 = pids.map(cpuSeconds);
    const gen0 = process.cpuUsage();
    const t0 = Date.now();

    const watcher = (async () => {
      let h = startHeight + 1;
      while (!stop || submitted.size > 0) {
        const latest = (await procs.height(net.nodes[0]!)) ?? 0;
        for (; h <= latest; h++) {
          const block = (await clients[0]!.call('oasis-core.Consensus', 'GetBlock', h)) as { size: number };
          const txs = (await clients[0]!.call('oasis-core.Consensus', 'GetTransactions', h)) as Uint8Array[];
          blocks++;
          blockBytes += Number(block.size);
          for (const tx of txs) {
            const sent = submitted.get(toHex(transactionHash(tx)));
            if (sent === undefined) continue;
            submitted.delete(toHex(transactionHash(tx)));
            latencies.push(Date.now() - sent);
            committed++;
          }
        }
        if (stop && Date.now() - t0 > DURATION_MS + 30_000) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    /** Refused submissions, by error message (a refused nonce leaves a gap every later one fails on). */
    const refusals = new Map<string, number>();
    const senders = keys.map(async (key, i) => {
      let nonce = 0n;
      const client = clients[i % clients.length]!;
      const pending = new Set<Promise<void>>();
      const mine = new Set<string>();
      let refused = false;
      while (!stop) {
        if (refused) {
          // Resynchronise instead of spinning on nonces the node can only refuse: let what is in flight
          // settle, then continue from the committed nonce once our accepted transactions are in blocks.
          await Promise.allSettled(pending);
          const until = Date.now() + 10_000;
          while (!stop && Date.now() < until && [...mine].some((h) => submitted.has(h)))
            await new Promise((r) => setTimeout(r, 50));
          mine.clear();
          try {
            const n = await client.call<number | bigint>('oasis-core.Consensus', 'GetSignerNonce', {
              account_address: addressFromPublicKey(key.publicKey),
              height: 0,
            });
            nonce = BigInt(n);
          } catch {
            await new Promise((r) => setTimeout(r, 200));
            continue;
          }
          refused = false;
        }
        const tx = encodeSignedTransaction(
          signTransaction(
            key,
            {
              nonce,
              fee: { amount: 0n, gas: 2000n },
              method: 'staking.Transfer',
              body: { to, amount: quantityToBytes(1n) },
            },
            net.chain_context,
          ),
        );
        nonce++;
        const hash = toHex(transactionHash(tx));
        submitted.set(hash, Date.now());
        mine.add(hash);
        const p = client.call('oasis-core.Consensus', 'SubmitTxNoWait', decodeCanonical(tx)).then(
          () => undefined,
          (err: unknown) => {
            submitted.delete(hash);
            const why = err instanceof Error ? err.message : String(err);
            refusals.set(why, (refusals.get(why) ?? 0) + 1);
            refused = true;
          },
        );
        pending.add(p);
        void p.finally(() => pending.delete(p));
        if (pending.size >= IN_FLIGHT) await Promise.race(pending);
        // Keep each account at most IN_FLIGHT nonces ahead of what is committed.
        while (!stop && [...submitted.values()].length > ACCOUNTS * IN_FLIGHT * 4)
          await new Promise((r) => setTimeout(r, 20));
      }
    });

    const progress = setInterval(() => {
      const s = (Date.now() - t0) / 1000;
      process.stderr.write(
        `\r${validators}v: ${s.toFixed(0)} s, ${committed} committed (${(committed / s).toFixed(0)} tx/s), ${submitted.size} pending   `,
      );
    }, 1000);
    await new Promise((r) => setTimeout(r, DURATION_MS));
    stop = true;
    const elapsed = (Date.now() - t0) / 1000;
    const committedInWindow = committed;
    const cpu = pids.map((p, i) => cpuSeconds(p) - cpu0[i]!);
    const gen = process.cpuUsage(gen0);
    await Promise.allSettled(senders);
    clearInterval(progress);
    stop = true;
    await Promise.race([watcher, new Promise((r) => setTimeout(r, 5000))]);
    process.stderr.write('\n');
    const rate = verifyRate();
    const tps = committedInWindow / elapsed;
    const cpuPerTxUs = (cpu.reduce((a, b) => a + b, 0) / cpu.length / Math.max(1, committedInWindow)) * 1e6;
    console.log(
      `${validators} validator(s): ${tps.toFixed(0)} committed tx/s over ${elapsed.toFixed(0)} s; latency p50 ${pct(latencies, 50)} ms, ` +
        `p99 ${pct(latencies, 99)} ms; ${(blockBytes / Math.max(1, blocks) / 1024).toFixed(1)} KiB/block avg; ` +
        `CPU per node ${cpu.map((c) => ((c / elapsed) * 100).toFixed(0)).join('/')} %, ${cpuPerTxUs.toFixed(0)} µs per tx ` +
        `(= ${((cpuPerTxUs * rate) / 1e6).toFixed(1)} verifications); load generator ` +
        `${(((gen.user + gen.system) / 1e6 / elapsed) * 100).toFixed(0)} % CPU; raw Ed25519 verify ${rate.toFixed(0)}/s on one core; ` +
        `ratio tx/s ÷ verify/s = ${(tps / rate).toFixed(3)}; refused submissions ` +
        `${[...refusals.values()].reduce((a, b) => a + b, 0)} ${JSON.stringify(Object.fromEntries(refusals))}`,
    );
    reportRow({
      bench: 'load',
      case: `${validators} validator(s), staking.Transfer`,
      perSecond: tps,
      unit: 'tx/s',
      p50Ms: pct(latencies, 50),
      p99Ms: pct(latencies, 99),
      cpuPerNodePct: cpu.map((c) => (c / elapsed) * 100),
      cpuPerItemUs: cpuPerTxUs,
      verifyPerSecond: rate,
    });
    for (const c of clients) c.close();
  } finally {
    await procs.stopAll(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
