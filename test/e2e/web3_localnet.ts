/**
 * A localnet running the EVM ParaTime with the Ethereum JSON-RPC endpoint served by its client node, as
 * the web3 e2e test, the Hardhat example's test and the ERC-20 benchmark all need it: prepared, started,
 * synced, and answering JSON-RPC before it is handed over.
 */
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import { freePort, type LocalnetSpec, prepareLocalnet } from '../../src/localnet/prepare.ts';
import type { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { editNodeConfig, ParaTimeClient } from './paratime_client.ts';
import { waitUntil } from './wait_until.ts';

/** A running EVM localnet and where its JSON-RPC endpoint listens. */
export interface Web3Localnet {
  net: LocalnetManifest;
  /** The client node serving JSON-RPC. */
  served: LocalnetNode;
  /** The JSON-RPC URL (HTTP). */
  url: string;
  /** Localnet test account 0 using the ParaTime through the served node (funds Ethereum keys). */
  rt: ParaTimeClient;
}

/** What to start: the localnet spec minus what the endpoint needs (EVM runtime, one client node). */
export type Web3LocalnetSpec = Omit<LocalnetSpec, 'runtime' | 'clients' | 'compute' | 'validators'> & {
  validators?: number;
  compute?: number;
  /** Deadline for the whole start-up. */
  startTimeoutMs?: number;
};

/**
 * Prepares and starts (through `procs`, which the caller stops) 1 validator, 3 compute nodes running the
 * EVM ParaTime and 1 client node following it and serving `web3`, and waits until the first committee
 * is elected, the client node has synced the runtime and JSON-RPC answers state reads.
 */
export async function startWeb3Localnet(
  procs: LocalnetProcesses,
  spec: Web3LocalnetSpec,
): Promise<Web3Localnet> {
  const { startTimeoutMs = 240_000, validators = 1, compute = 3, ...rest } = spec;
  const deadline = Date.now() + startTimeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const epochInterval = spec.epochInterval ?? 12;
  const net = await prepareLocalnet({
    ...rest,
    validators,
    compute,
    clients: 1,
    runtime: 'evm',
    epochInterval,
  });
  const served = net.nodes.find((n) => n.roles.includes('observer'))!;
  // The client node, which follows the runtime without executing for it, serves JSON-RPC (its `web3`
  // config section), as a web3 gateway sits on a client node.
  const port = await freePort();
  editNodeConfig(served, (config) => {
    config.web3 = { runtime_id: net.runtimes[0]!.id, listen_address: `127.0.0.1:${port}` };
  });
  // Only the client serves it: the localnet layout's endpoint on the first compute node would index every
  // round a second time on a member of the committee (a fifth of the machine under the ERC-20 benchmark).
  for (const n of net.nodes.filter((m) => m !== served)) editNodeConfig(n, (config) => delete config.web3);
  net.runtimes[0]!.web3 = `http://127.0.0.1:${port}`;
  for (const n of net.nodes) n.pid = procs.start(n);
  // The first committee is elected at the first epoch transition.
  await procs.waitHeight(net.nodes[0]!, epochInterval + 2, left());
  const rt = new ParaTimeClient(net, served);
  const url = `http://127.0.0.1:${port}`;
  // The endpoint answers state reads once its index holds a block and the runtime client has synced.
  await rt.waitSynced(left());
  await waitUntil('JSON-RPC serving', left(), async () => {
    const params = [`0x${'00'.repeat(19)}ff`, 'latest'];
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params });
    const res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(5000) });
    return typeof ((await res.json()) as { result?: string }).result === 'string';
  });
  return { net, served, url, rt };
}
