/**
 * The ParaTime history checker: after a nemesis run with compute nodes, proves from the runtime blocks
 * every runtime-hosting node holds that nothing the ParaTime clients were told was broken. Every node
 * reaches the round consensus (roothash) holds last; for every round they all hold the same header (so the
 * same state and I/O roots) and the last one is the header consensus holds; acknowledged transactions are in
 * exactly one block, the round they were acknowledged in, and succeeded; no transaction is in two blocks;
 * transactions only ever refused are in none.
 */
import * as oasis from '@oasisprotocol/client';
import { toHex } from '../../src/codec/bytes.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import type { RuntimeAttempt } from './runtime_load.ts';

/** What the ParaTime checker measured, and every violation it found. */
export interface ParaTimeReport {
  /** Latest runtime round on consensus. */
  rounds: number;
  acknowledged: number;
  refused: number;
  indeterminate: number;
  /** Of the indeterminate, how many are in a block. */
  indeterminateApplied: number;
  /** Empty transaction lists served for rounds other nodes hold transactions of (rounds not executed). */
  emptyAnswers: number;
  violations: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The runtime's latest block on consensus, asking each node in turn (some may still be catching up). */
export async function consensusRuntimeBlock(
  net: LocalnetManifest,
  deadlineMs = 10_000,
): Promise<oasis.types.RootHashBlock | undefined> {
  const runtimeId = oasis.misc.fromHex(net.runtimes[0]!.id);
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    for (const n of net.nodes.filter((x) => x.roles.includes('validator'))) {
      try {
        const nic = new oasis.client.NodeInternal(n.grpc_web);
        return await nic.rootHashGetLatestBlock({ height: 0, runtime_id: runtimeId });
      } catch {
        // next validator
      }
    }
    await sleep(500);
  }
  return undefined;
}

const headerHex = (b: oasis.types.RootHashBlock) => toHex(oasis.misc.toCBOR(b.header));

/** Checks the ParaTime against the clients' history; every node must be running, healed and unloaded. */
export async function checkParaTime(
  net: LocalnetManifest,
  nodes: LocalnetNode[],
  history: RuntimeAttempt[],
): Promise<ParaTimeReport> {
  const violations: string[] = [];
  const runtimeId = oasis.misc.fromHex(net.runtimes[0]!.id);
  const nics = nodes.map((n) => [n.name, new oasis.client.NodeInternal(n.grpc_web)] as const);
  const onConsensus = await consensusRuntimeBlock(net, 30_000);
  if (onConsensus === undefined) {
    return {
      ...tally(history, new Map()),
      rounds: 0,
      emptyAnswers: 0,
      violations: ['no validator answered for the runtime block'],
    };
  }
  const top = Number(onConsensus.header.round);

  // Every hosting node reaches the consensus round.
  const deadline = Date.now() + 120_000;
  for (const [name, nic] of nics) {
    let round = -1;
    while (Date.now() < deadline) {
      try {
        const b = await nic.runtimeClientGetBlock({
          runtime_id: runtimeId,
          round: oasis.runtime.CLIENT_ROUND_LATEST,
        });
        round = Number(b.header.round);
        if (round >= top) break;
      } catch {
        // not answering yet
      }
      await sleep(500);
    }
    if (round < top) violations.push(`${name} did not reach runtime round ${top} (at ${round})`);
  }

  // One header per round on every node; the last is the one on consensus.
  for (let round = 0; round <= top; round++) {
    const seen = new Map<string, string[]>();
    for (const [name, nic] of nics) {
      try {
        const b = await nic.runtimeClientGetBlock({ runtime_id: runtimeId, round: BigInt(round) });
        const hex = headerHex(b);
        seen.set(hex, [...(seen.get(hex) ?? []), name]);
      } catch (err) {
        violations.push(`${name} has no runtime block ${round}: ${(err as Error).message}`);
      }
    }
    if (seen.size > 1)
      violations.push(
        `runtime round ${round}: nodes disagree: ${[...seen.values()].map((ns) => ns.join('+')).join(' vs ')}`,
      );
    if (round === top && seen.size === 1 && !seen.has(headerHex(onConsensus)))
      violations.push(`runtime round ${round}: the nodes' header is not the one on consensus`);
  }

  // Where each transaction landed. A node keeps the transactions of the rounds it executed only (see
  // executor/history.ts) and serves an empty list for the others, so the lists that are not empty must be
  // one list; empty answers for a round others hold transactions of are counted, not treated as a fork.
  const landed = new Map<string, number[]>();
  let emptyAnswers = 0;
  for (let round = 1; round <= top; round++) {
    const lists = new Map<string, string[]>();
    let empty = 0;
    for (const [name, nic] of nics) {
      try {
        const txs = await nic.runtimeClientGetTransactions({ runtime_id: runtimeId, round: BigInt(round) });
        if (txs.length === 0) {
          empty++;
          continue;
        }
        const hashes = txs.map((tx) => toHex(oasis.hash.hash(tx)));
        const key = hashes.join(',');
        lists.set(key, [...(lists.get(key) ?? []), name]);
      } catch (err) {
        violations.push(`${name}: no transactions for runtime round ${round}: ${(err as Error).message}`);
      }
    }
    if (lists.size > 1)
      violations.push(
        `runtime round ${round}: nodes serve different transactions: ${[...lists.values()].map((ns) => ns.join('+')).join(' vs ')}`,
      );
    if (lists.size > 0) emptyAnswers += empty;
    const first = [...lists.keys()][0];
    for (const h of first ? first.split(',') : []) landed.set(h, [...(landed.get(h) ?? []), round]);
  }
  for (const [h, rounds] of landed)
    if (rounds.length > 1) violations.push(`runtime tx ${h.slice(0, 16)} in rounds ${rounds.join(', ')}`);

  const byHash = new Map<string, RuntimeAttempt[]>();
  for (const a of history) byHash.set(a.hash, [...(byHash.get(a.hash) ?? []), a]);
  for (const [h, attempts] of byHash) {
    const rounds = landed.get(h) ?? [];
    const acks = attempts.flatMap((a) => (a.outcome.kind === 'ack' ? [a.outcome] : []));
    const unknown = attempts.some((a) => a.outcome.kind === 'unknown');
    const name = `runtime tx ${h.slice(0, 16)} (client ${attempts[0]!.client}, nonce ${attempts[0]!.nonce})`;
    if (acks.length > 0) {
      if (rounds.length !== 1)
        violations.push(`${name} acknowledged in round ${acks[0]!.round} but in ${rounds.length} blocks`);
      else if (acks.some((a) => a.round !== BigInt(rounds[0]!)))
        violations.push(`${name} acknowledged in round ${acks[0]!.round} but is in round ${rounds[0]}`);
      if (acks.some((a) => !a.ok)) violations.push(`${name} acknowledged with a failed call`);
    } else if (!unknown && rounds.length > 0) violations.push(`${name} refused everywhere but applied`);
  }
  return { rounds: top, ...tally(history, landed), emptyAnswers, violations };
}

function tally(history: RuntimeAttempt[], landed: Map<string, number[]>) {
  const final = new Map<string, RuntimeAttempt['outcome']['kind']>();
  for (const a of history) {
    const was = final.get(a.hash);
    if (was !== 'ack')
      final.set(a.hash, was === 'unknown' && a.outcome.kind === 'refused' ? was : a.outcome.kind);
  }
  const count = (k: string) => [...final.values()].filter((v) => v === k).length;
  return {
    acknowledged: count('ack'),
    refused: count('refused'),
    indeterminate: count('unknown'),
    indeterminateApplied: [...final].filter(([h, k]) => k === 'unknown' && landed.has(h)).length,
  };
}
