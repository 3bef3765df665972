/**
 * The history checker: after a nemesis run, proves from the chain and the nodes' WALs that nothing the
 * clients were promised was broken. Acknowledged transactions are in the chain exactly once and succeeded;
 * transactions every node refused are not applied; no transaction is in the chain twice; the test accounts'
 * balances are exactly what the applied transfers make them and the staking ledger sums to the total
 * supply; every node holds the same block hash at every height; no validator signed two different votes
 * (or proposals) for one height/round/step, over every signed message any node logged; every node caught up.
 */
import { NodeClient } from '../../src/api/grpc_client.ts';
import { toHex } from '../../src/codec/bytes.ts';
import type { CborValue } from '../../src/codec/cbor.ts';
import { transactionHash } from '../../src/consensus/api/transaction.ts';
import { verifyProposal, verifyVote } from '../../src/consensus/api/vote.ts';
import type { ConsensusMessage } from '../../src/consensus/bft/messages.ts';
import { decodeWalRecord } from '../../src/consensus/bft/wal_records.ts';
import { listSegments, scanSegmentFile } from '../../src/consensus/wal/segment.ts';
import { addressToBech32 } from '../../src/crypto/address.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import { TEST_ACCOUNT_BALANCE } from '../../src/localnet/prepare.ts';
import { stakingGenesisCodec } from '../../src/services/staking/api/genesis.ts';
import type { Attempt } from './load.ts';

/** What the checker measured, and every violation it found (empty when the run is clean). */
export interface CheckReport {
  height: number;
  acknowledged: number;
  refused: number;
  indeterminate: number;
  /** Of the indeterminate, how many are in the chain. */
  indeterminateApplied: number;
  /** Signed votes and proposals read from the WALs. */
  signedMessages: number;
  violations: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function heightOf(client: NodeClient): Promise<number> {
  return Number(await client.call('oasis-core.Consensus', 'GetLatestHeight', undefined, 3_000));
}

/** Waits until every node reaches the highest height any of them reports (they all run and are healed). */
async function waitCaughtUp(clients: Map<string, NodeClient>, timeoutMs: number, out: string[]) {
  const deadline = Date.now() + timeoutMs;
  let target = 0;
  for (const c of clients.values()) target = Math.max(target, await heightOf(c).catch(() => 0));
  for (const [name, c] of clients) {
    let h = 0;
    while (Date.now() < deadline) {
      h = await heightOf(c).catch(() => 0);
      if (h >= target) break;
      await sleep(250);
    }
    if (h < target) out.push(`${name} did not catch up: at ${h}, others at ${target}`);
  }
  return target;
}

interface Inclusion {
  height: number;
  ok: boolean;
}

/** Checks the chain against the clients' history; the nodes must be running, healed and not loaded. */
export async function checkChain(net: LocalnetManifest, history: Attempt[]): Promise<CheckReport> {
  const violations: string[] = [];
  const clients = new Map(net.nodes.map((n) => [n.name, new NodeClient(`unix:${n.internal_socket}`)]));
  try {
    const top = await waitCaughtUp(clients, 90_000, violations);
    const reference = clients.get(net.nodes[0]!.name)!;

    // One block hash per height on every node.
    let height = top;
    for (const c of clients.values()) height = Math.min(height, await heightOf(c).catch(() => 0));
    for (let h = 1; h <= height; h++) {
      const hashes = new Map<string, string[]>();
      for (const [name, c] of clients) {
        const block = await c.call<{ hash: Uint8Array }>('oasis-core.Consensus', 'GetBlock', h, 10_000);
        const hex = toHex(block.hash);
        hashes.set(hex, [...(hashes.get(hex) ?? []), name]);
      }
      if (hashes.size > 1)
        violations.push(`disagreement at height ${h}: ${JSON.stringify(Object.fromEntries(hashes))}`);
    }

    // Every transaction in the chain, with its result.
    const included = new Map<string, Inclusion[]>();
    const moved = new Map<string, bigint>();
    const transfers = new Map<string, { from: string; to: string; amount: bigint }>();
    for (const a of history) transfers.set(a.hash, a);
    for (let h = 1; h <= height; h++) {
      const r = await reference.call<{ transactions: Uint8Array[]; results: { error: { code?: number } }[] }>(
        'oasis-core.Consensus',
        'GetTransactionsWithResults',
        h,
        10_000,
      );
      r.transactions.forEach((tx, i) => {
        const hash = toHex(transactionHash(tx));
        const ok = !r.results[i]?.error?.code;
        included.set(hash, [...(included.get(hash) ?? []), { height: h, ok }]);
        const t = transfers.get(hash);
        if (ok && t) {
          moved.set(t.from, (moved.get(t.from) ?? 0n) - t.amount);
          moved.set(t.to, (moved.get(t.to) ?? 0n) + t.amount);
        }
      });
    }
    for (const [hash, list] of included)
      if (list.length > 1) violations.push(`tx ${hash} is in the chain ${list.length} times`);

    // What the clients were told, per transaction (a transaction may have been sent several times).
    const byHash = new Map<string, Attempt[]>();
    for (const a of history) byHash.set(a.hash, [...(byHash.get(a.hash) ?? []), a]);
    let acknowledged = 0;
    let refused = 0;
    let indeterminate = 0;
    let indeterminateApplied = 0;
    for (const [hash, attempts] of byHash) {
      const applied = (included.get(hash) ?? []).filter((x) => x.ok).length;
      const who = `tx ${hash} (client ${attempts[0]!.client}, nonce ${attempts[0]!.nonce})`;
      if (attempts.some((a) => a.outcome.kind === 'ack')) {
        acknowledged++;
        if (applied !== 1) violations.push(`${who} was acknowledged but applied ${applied} times`);
      } else if (attempts.every((a) => a.outcome.kind === 'refused')) {
        refused++;
        if (applied !== 0) violations.push(`${who} was refused (${attempts.map((a) => a.node)}) but applied`);
      } else {
        indeterminate++;
        if (applied > 0) indeterminateApplied++;
      }
    }

    // Balances: the ledger at `height` sums to the total supply, and each test account holds exactly its
    // genesis balance plus what the applied transfers moved (fees are zero).
    const staking = stakingGenesisCodec.decode(
      await reference.call<CborValue>('oasis-core.Staking', 'StateToGenesis', height, 30_000),
      'staking',
    );
    let sum = staking.commonPool + staking.lastBlockFees + staking.governanceDeposits;
    for (const acct of staking.ledger.values())
      sum += acct.general.balance + acct.escrow.active.balance + acct.escrow.debonding.balance;
    if (sum !== staking.totalSupply)
      violations.push(`supply: ledger sums to ${sum}, total supply is ${staking.totalSupply}`);
    const balances = new Map(
      [...staking.ledger].map(([hex, acct]) => [
        addressToBech32(Uint8Array.from(Buffer.from(hex, 'hex'))),
        acct.general.balance,
      ]),
    );
    for (const account of net.accounts) {
      const expected = TEST_ACCOUNT_BALANCE + (moved.get(account.address) ?? 0n);
      const actual = balances.get(account.address);
      if (actual !== expected)
        violations.push(`balance of ${account.address}: ${actual}, applied transfers make it ${expected}`);
    }

    const signed = signedMessages(net.nodes, net.chain_context, violations);
    return {
      height,
      acknowledged,
      refused,
      indeterminate,
      indeterminateApplied,
      signedMessages: signed,
      violations,
    };
  } finally {
    for (const c of clients.values()) c.close();
  }
}

/** The signed message a WAL record carries, if any (own messages, peer votes and proposals). */
function signedOf(m: ConsensusMessage) {
  if (m.kind === 'vote') return { signer: m.vote.validator, step: m.vote.type, ...m.vote };
  if (m.kind === 'proposal') return { signer: m.proposal.proposer, step: 32, ...m.proposal };
  return undefined;
}

/**
 * Reads every node's WAL (nodes stopped or not: a torn tail is skipped) and reports any validator with two
 * different signed block hashes for one height/round/step. Returns how many signed messages were read.
 */
export function signedMessages(nodes: LocalnetNode[], chainContext: string, out: string[]): number {
  const seen = new Map<string, { hash: string; where: string }>();
  let count = 0;
  for (const node of nodes) {
    let segments: ReturnType<typeof listSegments> = [];
    try {
      segments = listSegments(`${node.data_dir}/consensus-wal`);
    } catch {
      continue;
    }
    for (const segment of segments) {
      for (const entry of scanSegmentFile(segment.path, true).entries) {
        if (entry.kind !== 'record') continue;
        const record = decodeWalRecord(entry.data);
        if (record.kind === 'timeout') continue;
        const s = signedOf(record.message);
        if (!s) continue;
        const authentic =
          record.message.kind === 'vote'
            ? verifyVote(record.message.vote, chainContext)
            : record.message.kind === 'proposal' && verifyProposal(record.message.proposal, chainContext);
        if (!authentic) continue;
        count++;
        const key = `${toHex(s.signer)}/${s.height}/${s.round}/${s.step}`;
        const hash = s.blockHash === null ? 'nil' : toHex(s.blockHash);
        const where = `${node.name} (${record.kind})`;
        const before = seen.get(key);
        if (!before) seen.set(key, { hash, where });
        else if (before.hash !== hash)
          out.push(`double sign by ${key}: ${before.hash} in ${before.where}, ${hash} in ${where}`);
      }
    }
  }
  return count;
}
