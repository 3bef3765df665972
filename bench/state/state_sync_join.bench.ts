/**
 * How long a fresh node takes to join a running network by state sync against replaying every block, at
 * several chain heights: state sync should take about the same time at each (it fetches one checkpoint and
 * the few blocks after it), replay grows with the height. Real processes: one validator (small
 * timeout_commit) with `accounts` funded genesis accounts plus live transfer traffic that funds new
 * accounts; for each height a fresh client node joins by state sync, with a trust root built from the
 * validator's `GetLightBlock`, and another fresh one by block replay; each must end on the network's state
 * root. Run (multi-process: under the shared lock):
 *   flock /work/wt/heavy.lock node --import tsx --import ./src/polyfill.ts bench/state/state_sync_join.bench.ts \
 *     [heights=500,2000] [accounts=10000] [dir]
 * With `dir` the network is kept there and a later run continues it: each run stops cleanly when its time
 * budget (`BUDGET_MS`, default 270 s, so that a locked run stays under 5 minutes) runs out and the next
 * run goes on from there — growing the chain, then joining (`500 10000 /tmp/ssj` until the 500 row is
 * printed, then `2000 10000 /tmp/ssj`); without it, it lives in a temporary directory removed at the end.
 * "Join" is from starting the process until it reports the height the validator had at that moment (the
 * validator goes on producing blocks meanwhile, so the second join of a height is to a later one).
 *
 * Measured (2 shared cores under other load, data dir on disk; Dec 2026): 10,000 genesis accounts, 11,034
 * and 11,866 accounts at the two joins —
 *   height  504: state sync 19.6 s (checkpoint 601), replay  55.5 s (to 714)
 *   height 2042: state sync 11.8 s (checkpoint 2101), replay 129.5 s (to 2258)
 * State sync stays flat (startup, discovery, a 0.7 MB checkpoint in 2 chunks, the first block after it);
 * replay grows with the height.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { bytesEqual, toHex, utf8 } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { quantityToBytes } from '../../src/codec/quantity.ts';
import { decodeLightBlock } from '../../src/consensus/api/light_block.ts';
import { encodeSignedTransaction, signTransaction } from '../../src/consensus/api/transaction.ts';
import { checkLightBlock } from '../../src/consensus/light/verifier.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { sha512_256 } from '../../src/crypto/hash.ts';
import { type LocalnetNode, readManifest, writeManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet, testAccountSeed } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { profileChildren } from '../profile_children.ts';

const HEIGHTS = (process.argv[2] ?? '500,2000').split(',').map(Number);
const ACCOUNTS = Number(process.argv[3] ?? 10_000);
const KEEP_DIR = process.argv[4];
const INTERVAL = 100;
/** Accounts sending live transfers (each to fresh addresses) while the chain grows. */
const SENDERS = 8;
const TRANSFERS_PER_TICK = 1;
const TICK_MS = 100;
const BUDGET_MS = Number(process.env.BUDGET_MS ?? 270_000);
/** Time the two joins of one height need at most; with less left, they wait for the next run. */
const JOIN_RESERVE_MS = 150_000;
const deadline = Date.now() + BUDGET_MS;
// PROFILE_DIR=…: CPU profiles of the nodes (read with bench/profile_top.ts).
if (process.env.PROFILE_DIR) profileChildren(process.env.PROFILE_DIR);

const dir = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'bench-statesync-'));
mkdirSync(dir, { recursive: true });
const net =
  readManifest(dir) ??
  (await prepareLocalnet({
    dir,
    validators: 1,
    clients: 2 * HEIGHTS.length + 2,
    timeoutCommitMs: 10,
    epochInterval: 200,
    accounts: ACCOUNTS,
    checkpoints: { interval: INTERVAL, numKept: 2, chunkSize: 1024 * 1024 },
  }));
writeManifest(dir, net);
// As in production: localnets check every state invariant after each block (a debug setting whose full
// state scan per block would dominate both chain growth and replay at 10,000 accounts).
for (const node of net.nodes) {
  const config = parseYaml(readFileSync(node.config, 'utf8')) as Record<string, unknown>;
  config.debug = { ...(config.debug as object), sanity_checks: false };
  writeFileSync(node.config, toYaml(config), { mode: 0o600 });
}
const validator = net.nodes[0]!;
const procs = new LocalnetProcesses();
const api = new NodeClient(`unix:${validator.internal_socket}`);
/** Client nodes never started yet (a node that ran has a log). */
const fresh = () =>
  net.nodes.filter((n) => n.roles[0] === 'observer' && !existsSync(join(n.data_dir, 'node.log')));

function enableStateSync(node: LocalnetNode, height: number, hash: string): void {
  const config = parseYaml(readFileSync(node.config, 'utf8')) as Record<string, unknown>;
  config.consensus = {
    ...(config.consensus as object),
    state_sync: { enabled: true },
    light_client: { trust: { height, hash, period: '1h' } },
  };
  writeFileSync(node.config, toYaml(config), { mode: 0o600 });
}

/** The trust root a careful operator takes from another node: the light block's hash, checked. */
async function trustRoot(height: number): Promise<string> {
  const { meta } = (await api.call('oasis-core.Consensus', 'GetLightBlock', height, 5_000)) as {
    meta: Uint8Array;
  };
  return toHex(checkLightBlock(decodeLightBlock(meta), net.chain_context));
}

async function stateRoot(client: NodeClient, height: number): Promise<Uint8Array> {
  const block = (await client.call('oasis-core.Consensus', 'GetBlock', height, 5_000)) as {
    state_root: { hash: Uint8Array };
  };
  return block.state_root.hash;
}

/**
 * Starts `node`, waits until it reaches the validator's current height, checks its state root there
 * against the validator's, stops it; also the lowest height it keeps (a state-synced node starts above its
 * checkpoint) and the number of accounts its state holds.
 */
async function join_(
  node: LocalnetNode,
): Promise<{ ms: number; height: number; base: number; accounts: number }> {
  const height = (await procs.height(validator))!;
  const started = Date.now();
  procs.start(node);
  const reached = await procs.waitHeight(node, height, Math.max(10_000, deadline - Date.now()));
  const ms = Date.now() - started;
  const own = new NodeClient(`unix:${node.internal_socket}`);
  try {
    const [mine, theirs] = await Promise.all([stateRoot(own, reached), stateRoot(api, reached)]);
    if (!bytesEqual(mine, theirs))
      throw new Error(
        `${node.name}: state root ${toHex(mine)} at ${reached}, the network's is ${toHex(theirs)}`,
      );
    const status = (await own.call('oasis-core.NodeController', 'GetStatus', undefined, 5_000)) as {
      consensus: { last_retained_height: number };
    };
    const addresses = (await own.call('oasis-core.Staking', 'Addresses', reached, 30_000)) as unknown[];
    return {
      ms,
      height,
      base: Number(status.consensus.last_retained_height),
      accounts: addresses.length,
    };
  } finally {
    own.close();
    await procs.stop(node.name);
  }
}

/** Live traffic: senders transfer 1 base unit each to a never-seen address (a new account) per tick. */
function startTraffic(slot: number): { stop: () => Promise<number> } {
  const keys = Array.from({ length: SENDERS }, (_, i) =>
    Ed25519KeyPair.fromSeed(testAccountSeed(slot * SENDERS + i)),
  );
  // Nonces from the chain: an earlier run may have sent from these accounts already.
  const nonces = keys.map(() => -1n);
  const nonceOf = async (i: number) =>
    BigInt(
      (await api.call(
        'oasis-core.Consensus',
        'GetSignerNonce',
        {
          account_address: addressFromPublicKey(keys[i]!.publicKey),
          height: 0,
        },
        5_000,
      )) as number,
    );
  let sent = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await Promise.all(
        keys.map(async (key, i) => {
          if (nonces[i]! < 0n) nonces[i] = await nonceOf(i).catch(() => -1n);
          if (nonces[i]! < 0n) return;
          for (let k = 0; k < TRANSFERS_PER_TICK; k++) {
            const to = addressFromPublicKey(sha512_256(utf8(`bench state sync ${slot} ${i} ${nonces[i]}`)));
            const tx = signTransaction(
              key,
              {
                nonce: nonces[i]!,
                fee: { amount: 0n, gas: 2000n },
                method: 'staking.Transfer',
                body: { to, amount: quantityToBytes(1n) },
              },
              net.chain_context,
            );
            // Waits for the block: the next nonce is only valid after this one.
            await api
              .call('oasis-core.Consensus', 'SubmitTx', decodeCanonical(encodeSignedTransaction(tx)), 30_000)
              .then(() => {
                nonces[i]!++;
                sent++;
              })
              .catch(() => undefined);
          }
        }),
      );
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return sent;
    },
  };
}

const rows: string[] = [];
let traffic: { stop: () => Promise<number> } | undefined;
try {
  const t0 = Date.now();
  procs.start(validator);
  await procs.waitHeight(validator, 1, 150_000);
  console.log(`validator up in ${((Date.now() - t0) / 1000).toFixed(1)} s (${ACCOUNTS} genesis accounts)`);
  for (const target of HEIGHTS) {
    const [syncing, replaying] = fresh();
    if (syncing === undefined || replaying === undefined)
      throw new Error(`no fresh client nodes left in ${dir}`);
    const grow0 = Date.now();
    const from = (await procs.height(validator))!;
    if (from < target) {
      traffic = startTraffic(net.nodes.indexOf(syncing));
      const reached = await procs
        .waitHeight(validator, target, Math.max(0, deadline - Date.now() - 5_000))
        .then(() => true)
        .catch(() => false);
      const transfers = await traffic.stop();
      traffic = undefined;
      const now = (await procs.height(validator))!;
      console.log(
        `height ${from} → ${now} in ${((Date.now() - grow0) / 1000).toFixed(1)} s, ${transfers} live transfers`,
      );
      if (!reached) {
        console.log(`height ${target} not reached within the budget: run again with ${dir} to go on`);
        break;
      }
    }
    if (deadline - Date.now() < JOIN_RESERVE_MS) {
      console.log(`too little budget left for the joins at ${target}: run again with ${dir} to do them`);
      break;
    }
    const status = (await api.call('oasis-core.NodeController', 'GetStatus', undefined, 5_000)) as {
      consensus: { checkpoint_heights: number[] };
    };
    // State sync restores a checkpoint at or above the trust height − 1: trust the newest one's height + 1.
    const trustHeight = Math.max(...status.consensus.checkpoint_heights.map(Number)) + 1;
    enableStateSync(syncing, trustHeight, await trustRoot(trustHeight));
    const bySync = await join_(syncing);
    const byReplay = await join_(replaying);
    rows.push(
      `height ${String(bySync.height).padStart(5)}: state sync ${(bySync.ms / 1000).toFixed(1)} s ` +
        `(checkpoint ${bySync.base - 1}, ${bySync.accounts} accounts), replay ${(byReplay.ms / 1000).toFixed(1)} s ` +
        `(to ${byReplay.height}, ${byReplay.accounts} accounts); state roots equal the validator's`,
    );
    console.log(rows.at(-1));
  }
} finally {
  await traffic?.stop();
  api.close();
  // Kept networks stop cleanly so that a later run can continue them.
  await procs.stopAll(KEEP_DIR === undefined ? 'SIGKILL' : 'SIGTERM');
  if (KEEP_DIR === undefined) rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\njoin time, 1 validator, ${ACCOUNTS} genesis accounts, checkpoints every ${INTERVAL} heights:\n${rows.join('\n')}`,
);
