/**
 * Every method of the official client (`@oasisprotocol/client` 1.3.0, read from its method descriptors)
 * against a real single-validator node run in this process: the node serves those it registers, and each
 * served method is called — public ones through the official client over gRPC-web, operator ones over the
 * node's socket — and must answer or fail with a coded error, never "unimplemented" or a malformed
 * request. Prints served / total.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import type { NodeClient } from '../../src/api/grpc_client.ts';
import { fromHex } from '../../src/codec/bytes.ts';
import { CodedError } from '../../src/errors.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import type { Node } from '../../src/node/node.ts';
import { type OneNode, startOneNode } from './one_node_fixture.ts';

const require_ = createRequire(import.meta.url);
(globalThis as Record<string, unknown>).XMLHttpRequest ??= require_('xhr2');

/** The client's methods, as its generated descriptors name them. */
function clientMethods(): Array<{ service: string; method: string; stream: boolean }> {
  const src = readFileSync(require_.resolve('@oasisprotocol/client/dist/client.js'), 'utf8');
  const re = /createMethodDescriptor(Unary|ServerStreaming)\('(\w+)', '(\w+)'\)/g;
  return [...src.matchAll(re)].map((m) => ({ service: m[2]!, method: m[3]!, stream: m[1] !== 'Unary' }));
}

/** An upgrade far beyond the test's chain (its handler needs no restart). */
const farUpgrade = {
  v: 1n,
  handler: 'empty',
  target: {
    consensus_protocol: { major: 7 },
    runtime_host_protocol: { major: 5 },
    runtime_committee_protocol: { major: 4 },
  },
  epoch: 1_000_000n,
};

/** Never called: it stops the node (its presence is what counts). */
const NOT_CALLED = new Set(['NodeController.RequestShutdown']);

describe('the official client method list against a running node', { timeout: 120_000 }, () => {
  let one: OneNode | undefined;
  let net: LocalnetManifest;
  let node: Node;
  let socket: NodeClient;
  let nic: oasis.client.NodeInternal;

  before(async () => {
    one = await startOneNode('oasis-ts-methods-', 2);
    ({ net, node, socket, nic } = one);
  });

  after(async () => {
    await one?.stop();
  });

  /** A request each method accepts (by `Service.Method`); height 0 (latest) otherwise. */
  async function requestFor(name: string): Promise<unknown> {
    const signer = oasis.signature.NaclSigner.fromSeed(
      fromHex(net.accounts[0]!.seed_hex),
      'this key is not important',
    );
    const owner = oasis.staking.addressFromPublicKey(signer.public());
    const entity = (await nic.registryGetEntities(0))[0]!;
    const nodeDesc = (await nic.registryGetNodes(0))[0]!;
    const runtimeId = new Uint8Array(32);
    const stateRoot = (await nic.consensusGetBlock(0n)).state_root!;
    const tree = { root: stateRoot, position: stateRoot.hash! };
    const transfer = async (nonceOffset: bigint) => {
      const tw = oasis.staking.transferWrapper();
      const account = await nic.stakingAccount({ height: 0, owner });
      tw.setNonce(BigInt(account.general?.nonce ?? 0) + nonceOffset);
      tw.setFeeAmount(oasis.quantity.fromBigInt(0n));
      tw.setFeeGas(100_000n);
      tw.setBody({ to: owner, amount: oasis.quantity.fromBigInt(1n) });
      await tw.sign(new oasis.signature.BlindContextSigner(signer), await nic.consensusGetChainContext());
      return tw.signedTransaction;
    };
    const table: Record<string, () => unknown> = {
      'Beacon.GetBaseEpoch': () => undefined,
      'Beacon.WaitEpoch': () => 0n,
      'Consensus.GetSignerNonce': () => ({ account_address: owner, height: 0 }),
      'Consensus.EstimateGas': () => ({
        signer: signer.public(),
        transaction: { nonce: 0n, method: 'staking.Transfer', body: { to: owner, amount: new Uint8Array() } },
      }),
      'Consensus.SubmitTx': () => transfer(0n),
      'Consensus.SubmitTxNoWait': () => transfer(0n),
      'Consensus.SubmitTxWithProof': () => transfer(0n),
      'Consensus.StateSyncGet': () => ({ tree, key: new Uint8Array([0x50]) }),
      'Consensus.StateSyncGetPrefixes': () => ({ tree, prefixes: [new Uint8Array([0x50])], limit: 10 }),
      'Consensus.StateSyncIterate': () => ({ tree, key: new Uint8Array(0), prefetch: 10 }),
      'Consensus.SubmitEvidence': () => ({ meta: new Uint8Array([0xa0]) }),
      'Registry.GetEntity': () => ({ height: 0, id: entity.id }),
      'Registry.GetNode': () => ({ height: 0, id: nodeDesc.id }),
      'Registry.GetNodeStatus': () => ({ height: 0, id: nodeDesc.id }),
      'Registry.GetNodeByConsensusAddress': () => ({ height: 0, address: new Uint8Array(20) }),
      'Registry.GetRuntime': () => ({ height: 0, id: runtimeId }),
      'Registry.GetRuntimes': () => ({ height: 0, include_suspended: false }),
      'Scheduler.GetCommittees': () => ({ height: 0, runtime_id: runtimeId }),
      'RootHash.GetRoundRoots': () => ({ height: 0, runtime_id: runtimeId, round: 0n }),
      'Governance.Proposal': () => ({ height: 0, id: 1n }),
      'Governance.Votes': () => ({ height: 0, id: 1n }),
      'Staking.Threshold': () => ({ height: 0, kind: 0 }),
      'Staking.Allowance': () => ({ height: 0, owner, beneficiary: owner }),
      'NodeController.WaitReady': () => undefined,
      'NodeController.WaitSync': () => undefined,
      'NodeController.IsReady': () => undefined,
      'NodeController.IsSynced': () => undefined,
      'NodeController.GetStatus': () => undefined,
      'NodeController.UpgradeBinary': () => farUpgrade,
      'NodeController.CancelUpgrade': () => farUpgrade,
    };
    const [service, method] = name.split('.') as [string, string];
    if (table[name]) return table[name]!();
    if (service === 'RuntimeClient') {
      if (/^(CheckTx|SubmitTx|SubmitTxMeta|SubmitTxNoWait)$/.test(method))
        return { runtime_id: runtimeId, data: new Uint8Array([0xa0]) };
      if (method === 'Query')
        return { runtime_id: runtimeId, round: 0n, method: 'x', args: new Uint8Array([0xa0]) };
      if (/^(GetBlock|GetTransactions|GetTransactionsWithResults|GetEvents)$/.test(method))
        return { runtime_id: runtimeId, round: 0n };
      return runtimeId;
    }
    if (service === 'Staking' && /Account|Delegation/.test(method)) return { height: 0, owner };
    if (service === 'RootHash' && method.startsWith('Watch')) return runtimeId;
    if (
      service === 'RootHash' &&
      method !== 'GetEvents' &&
      !/ConsensusParameters|StateToGenesis/.test(method)
    )
      return { height: 0, runtime_id: runtimeId };
    if (
      method.startsWith('Watch') ||
      /^(GetChainContext|GetGenesisDocument|GetStatus|GetLatestHeight|GetLastRetainedHeight|MinGasPrice|GetUnconfirmedTransactions)$/.test(
        method,
      )
    )
      return undefined;
    return 0;
  }

  /** Whether a failure is an answer (a coded error), as opposed to a method the node cannot serve. */
  const isCodedAnswer = (e: unknown) =>
    e instanceof oasis.client.OasisCodedError || (e instanceof CodedError && e.module !== 'unknown');

  async function callUnary(name: string, isPublic: boolean): Promise<void> {
    const request = await requestFor(name);
    const [service, method] = name.split('.') as [string, string];
    try {
      if (isPublic) {
        const fn = `${service[0]!.toLowerCase()}${service.slice(1)}${method}`;
        await (nic as unknown as Record<string, (r: unknown) => Promise<unknown>>)[fn]!(request);
      } else {
        await socket.call(`oasis-core.${service}`, method, request, 10_000);
      }
    } catch (e) {
      if (!isCodedAnswer(e)) throw new Error(`${name}: ${(e as Error).message}`);
    }
  }

  async function openStream(name: string): Promise<void> {
    const [service, method] = name.split('.') as [string, string];
    const iterator = socket
      .stream(`oasis-core.${service}`, method, await requestFor(name))
      [Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const quiet = new Promise<'quiet'>((r) => (timer = setTimeout(() => r('quiet'), 1500)));
    try {
      await Promise.race([iterator.next(), quiet]);
    } catch (e) {
      if (!isCodedAnswer(e)) throw new Error(`${name}: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
      void iterator.return?.();
    }
  }

  it('serves and answers every client method it registers', async () => {
    const all = clientMethods();
    assert.equal(all.length, 133, 'client 1.3.0 knows 133 methods');
    const paths = new Map(node.apiPaths().map((p) => [p.path, p.public]));
    const served = all.filter((m) => paths.has(`/oasis-core.${m.service}/${m.method}`));
    const failures: string[] = [];
    for (const m of served) {
      const name = `${m.service}.${m.method}`;
      if (NOT_CALLED.has(name)) continue;
      try {
        if (m.stream) await openStream(name);
        else await callUnary(name, paths.get(`/oasis-core.${m.service}/${m.method}`)!);
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
    const missing = all.filter((m) => !paths.has(`/oasis-core.${m.service}/${m.method}`));
    console.log(
      `served ${served.length}/${all.length}; not served: ${missing.map((m) => `${m.service}.${m.method}`).join(', ')}`,
    );
    assert.deepEqual(failures, []);
    // Values, not just answers, for the methods added with governance.
    assert.equal(oasis.quantity.toBigInt(await nic.consensusMinGasPrice()), 0n);
    assert.ok(Array.isArray(await nic.consensusGetUnconfirmedTransactions()));
    assert.equal(Number((await nic.beaconStateToGenesis(0)).base), Number(await nic.beaconGetEpoch(0)));
    const km = await nic.keyManagerStateToGenesis(0);
    assert.ok(km !== undefined);
    assert.ok(served.length >= 100, `served ${served.length}`);
  });

  it('NodeController upgrade descriptors: scheduled, in GetStatus, refused twice, cancelled', async () => {
    const later = { ...farUpgrade, epoch: 2_000_000n };
    const status = async () =>
      ((await socket.call('oasis-core.NodeController', 'GetStatus')) as { pending_upgrades?: unknown[] })
        .pending_upgrades ?? [];
    const coded = (module: string, code: number) => (e: unknown) => CodedError.is(e, module, code);
    await socket.call('oasis-core.NodeController', 'UpgradeBinary', later);
    const listed = (await status()) as Array<{ descriptor: { epoch: unknown }; upgrade_height: unknown }>;
    assert.ok(
      listed.some((pu) => Number(pu.descriptor.epoch) === 2_000_000 && Number(pu.upgrade_height) === 0),
    );
    await assert.rejects(
      socket.call('oasis-core.NodeController', 'UpgradeBinary', later),
      coded('upgrade', 5),
    );
    await assert.rejects(
      socket.call('oasis-core.NodeController', 'UpgradeBinary', { ...later, handler: 'x' }),
      coded('upgrade', 8),
    );
    await socket.call('oasis-core.NodeController', 'CancelUpgrade', later);
    const after = (await status()) as Array<{ descriptor: { epoch: unknown } }>;
    assert.ok(!after.some((pu) => Number(pu.descriptor.epoch) === 2_000_000));
  });
});
