/**
 * Hostile clients against a real single-validator node run in this process, over its gRPC-web endpoint: a
 * slowloris (many connections sending their headers a byte at a time) is cut off by the header deadline,
 * and a flood of WatchBlocks streams from one address is refused beyond the per-client limit with
 * RESOURCE_EXHAUSTED; meanwhile the node keeps producing blocks and answering ordinary calls.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_GRPC_WEB_CONFIG } from '../../src/api/grpc_web.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { loadConfig } from '../../src/node/config.ts';
import { Node } from '../../src/node/node.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A gRPC-web call (binary mode) with an empty request; resolves to the response body. */
async function grpcWeb(url: string, method: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' },
    body: new Uint8Array(0),
    ...(signal ? { signal } : {}),
  });
}

/** The CBOR message of the first data frame of a gRPC-web body. */
function firstMessage(body: Buffer): unknown {
  assert.equal(body[0], 0, 'a data frame first');
  return decodeCanonical(body.subarray(5, 5 + body.readUInt32BE(1)));
}

describe('hostile clients on gRPC-web', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-hostile-'));
  let net: LocalnetManifest;
  let node: Node;
  let url: string;

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 1, accounts: 1, timeoutCommitMs: 200 });
    node = await Node.start(loadConfig(net.nodes[0]!.config));
    url = net.nodes[0]!.grpc_web;
  });

  after(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const latest = async () =>
    Number(
      firstMessage(
        Buffer.from(await (await grpcWeb(url, 'oasis-core.Consensus/GetLatestHeight')).arrayBuffer()),
      ),
    );

  it('cuts off slowloris connections at the header deadline and keeps producing blocks', async () => {
    const { port, hostname } = new URL(url);
    const sockets: Socket[] = [];
    const closedAt: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 100; i++) {
      const s = connect(Number(port), hostname);
      s.on('error', () => undefined);
      s.on('close', () => closedAt.push(Date.now() - t0));
      s.write('POST /oasis-core.Consensus/GetLatestHeight HTTP/1.1\r\nHost: x\r\n');
      sockets.push(s);
    }
    const drip = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write('x');
    }, 500);
    try {
      const h0 = node.view.latestHeight();
      await sleep(3_000);
      assert.ok(node.view.latestHeight() >= h0 + 3, 'blocks during the slowloris');
      assert.ok((await latest()) >= h0 + 3, 'an honest call is answered during the slowloris');
      const limit = DEFAULT_GRPC_WEB_CONFIG.http.headersTimeoutMs;
      const deadline = Date.now() + limit + 10_000;
      while (closedAt.length < sockets.length && Date.now() < deadline) await sleep(200);
      assert.equal(closedAt.length, sockets.length, 'every slow connection was closed by the server');
      assert.ok(Math.max(...closedAt) <= limit + 5_000, `closed after ${Math.max(...closedAt)} ms`);
    } finally {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
    }
  });

  it('refuses a stream flood beyond the per-client limit and keeps producing blocks', async () => {
    const abort = new AbortController();
    const flood = 3 * DEFAULT_GRPC_WEB_CONFIG.maxStreamsPerClient;
    try {
      const responses = await Promise.all(
        Array.from({ length: flood }, () => grpcWeb(url, 'oasis-core.Consensus/WatchBlocks', abort.signal)),
      );
      // Refused streams end at once with their trailers; accepted ones stay open.
      const refused = await Promise.all(
        responses.map(async (r) => {
          const reader = r.body!.getReader();
          const first = await Promise.race([reader.read(), sleep(3_000).then(() => undefined)]);
          const text = first?.value ? Buffer.from(first.value).toString('latin1') : '';
          return /grpc-status:8/.test(text);
        }),
      );
      const count = refused.filter(Boolean).length;
      assert.equal(count, flood - DEFAULT_GRPC_WEB_CONFIG.maxStreamsPerClient, 'streams refused');
      const h0 = node.view.latestHeight();
      await sleep(2_000);
      assert.ok(node.view.latestHeight() >= h0 + 2, 'blocks during the flood');
      assert.ok((await latest()) >= h0 + 2, 'an honest call is answered during the flood');
    } finally {
      abort.abort();
    }
    // Closed streams give their slots back.
    await sleep(500);
    const again = await grpcWeb(url, 'oasis-core.Consensus/WatchBlocks', AbortSignal.timeout(5_000));
    const reader = again.body!.getReader();
    const { value } = await reader.read();
    assert.equal(Buffer.from(value!)[0], 0, 'a new stream gets a block, not a refusal');
    await reader.cancel();
  });
});
