/**
 * The light-client methods of a real single-validator node: the official client decodes `GetLightBlock`
 * and `GetParameters`; the light block in `meta` is the node's own block (same hash as `GetBlock`) and a
 * light client over the node's socket verifies the latest header from a trust root taken from it;
 * `SubmitEvidence` refuses what is not evidence with a coded error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { GrpcLightSource } from '../../src/api/light_source.ts';
import { bytesEqual } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { blockHash } from '../../src/consensus/api/block.ts';
import { decodeLightBlock, validatorsHash } from '../../src/consensus/api/light_block.ts';
import { LightClient } from '../../src/consensus/light/client.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { loadConfig } from '../../src/node/config.ts';
import { Node } from '../../src/node/node.ts';

const require_ = createRequire(import.meta.url);
(globalThis as Record<string, unknown>).XMLHttpRequest ??= require_('xhr2');

describe('light-client methods of a running node', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-light-'));
  let net: LocalnetManifest;
  let node: Node;
  let socket: NodeClient;
  let nic: oasis.client.NodeInternal;

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 100, epochInterval: 5 });
    node = await Node.start(loadConfig(net.nodes[0]!.config));
    socket = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
    nic = new oasis.client.NodeInternal(node.grpcWebUrl()!);
    const deadline = Date.now() + 60_000;
    while (node.view.latestHeight() < 6) {
      if (Date.now() > deadline) throw new Error('node did not reach height 6');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    socket?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GetLightBlock decodes in the official client and carries the node block', async () => {
    const lb = await nic.consensusGetLightBlock(3n);
    assert.equal(Number(lb.height), 3);
    const block = decodeLightBlock(lb.meta!);
    const apiBlock = await nic.consensusGetBlock(3n);
    assert.ok(bytesEqual(blockHash(block.header), apiBlock.hash!));
    assert.ok(bytesEqual(validatorsHash(block.validators), block.header.validatorsHash));
    const latest = await nic.consensusGetLightBlock(0n);
    assert.ok(Number(latest.height) >= 6);
  });

  it('GetParameters decodes in the official client', async () => {
    const p = await nic.consensusGetParameters(0n);
    assert.ok(Number(p.height) >= 6);
    assert.ok(p.parameters, 'parameters present');
    assert.ok(Number(p.parameters!.max_tx_size) > 0);
    // meta is the parameters' canonical CBOR: the client re-encodes what it decoded to the same bytes.
    assert.ok(bytesEqual(oasis.misc.toCBOR(p.parameters), p.meta!));
    assert.equal(
      (decodeCanonical(p.meta!) as { max_tx_size: number }).max_tx_size,
      Number(p.parameters!.max_tx_size),
    );
  });

  it('a light client over the node socket verifies the latest header from a trust root it served', async () => {
    const root = decodeLightBlock((await nic.consensusGetLightBlock(2n)).meta!);
    const client = new LightClient({
      chainContext: await nic.consensusGetChainContext(),
      trust: { height: 2, hash: blockHash(root.header), periodMs: 3600_000 },
      primary: new GrpcLightSource('node', socket),
    });
    const target = node.view.latestHeight();
    const verified = await client.verifyHeight(target);
    assert.ok(bytesEqual(verified.hash, node.view.block(target)!.hash));
  });

  it('SubmitEvidence refuses bytes that are not evidence with a coded error', async () => {
    await assert.rejects(
      nic.consensusSubmitEvidence({ meta: new Uint8Array([0xa0]) }),
      (e) =>
        e instanceof oasis.client.OasisCodedError &&
        e.oasisModule === 'consensus/evidence' &&
        e.oasisCode === 1,
    );
  });
});
