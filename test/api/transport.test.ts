import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { decodeStatusDetails, encodeStatusDetails } from '../../src/api/errors.ts';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { GrpcServer } from '../../src/api/grpc_server.ts';
import { GrpcWebServer } from '../../src/api/grpc_web.ts';
import { ApiRegistry } from '../../src/api/method.ts';
import type { CborValue } from '../../src/codec/cbor.ts';
import { CodedError } from '../../src/errors.ts';

// The official client needs XMLHttpRequest; in Node it comes from xhr2 (as the SDK's own Node e2e does).
(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

/**
 * A small service served through both transports: the transports are what is under test, so the handlers
 * compute real answers from their requests (echo of the queried owner, a height-dependent balance, …).
 */
function testRegistry(shutdowns: boolean[]): ApiRegistry {
  const registry = new ApiRegistry();
  registry.register(
    {
      service: 'oasis-core.Consensus',
      name: 'GetChainContext',
      kind: 'unary',
      public: true,
      handler: async (req) => {
        assert.equal(req, undefined);
        return 'abc123';
      },
    },
    {
      service: 'oasis-core.Consensus',
      name: 'GetSignerNonce',
      kind: 'unary',
      public: true,
      handler: async (req) => (req as { height: number }).height,
    },
    {
      service: 'oasis-core.Staking',
      name: 'Account',
      kind: 'unary',
      public: true,
      handler: async (req) => {
        const q = req as { owner: Uint8Array; height: number };
        if (q.owner.length !== 21) throw new CodedError('staking', 1, 'invalid argument');
        return { general: { balance: Uint8Array.of(q.height + 1), nonce: q.owner[1]! } };
      },
    },
    {
      service: 'oasis-core.Consensus',
      name: 'SubmitTx',
      kind: 'unary',
      public: true,
      handler: async () => {
        throw new CodedError('consensus/transaction', 1, 'invalid nonce');
      },
    },
    {
      service: 'oasis-core.Consensus',
      name: 'WatchBlocks',
      kind: 'stream',
      public: true,
      handler: async function* () {
        for (let h = 1; h <= 3; h++) yield { height: h, hash: new Uint8Array(32).fill(h), time: 1000 + h };
      },
    },
    {
      service: 'oasis-core.NodeController',
      name: 'RequestShutdown',
      kind: 'unary',
      public: false,
      handler: async (req) => {
        shutdowns.push(req as boolean);
        return null;
      },
    },
  );
  return registry;
}

const owner = new Uint8Array(21).fill(7);

describe('API transports', () => {
  const shutdowns: boolean[] = [];
  const registry = testRegistry(shutdowns);
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-api-'));
  const socket = join(dir, 'internal.sock');
  const web = new GrpcWebServer(registry, { maxRequestBytes: 1024 });
  const grpcServer = new GrpcServer(registry, socket);
  let nic: oasis.client.NodeInternal;
  let url = '';

  before(async () => {
    url = await web.listen(0);
    await grpcServer.start();
    nic = new oasis.client.NodeInternal(url);
  });

  after(async () => {
    await web.close();
    await grpcServer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the official client over gRPC-web (unary, empty request)', async () => {
    assert.equal(await nic.consensusGetChainContext(), 'abc123');
    const acct = await nic.stakingAccount({ owner, height: 41 });
    assert.deepEqual(acct.general?.balance, Uint8Array.of(42));
    assert.equal(acct.general?.nonce, 7);
  });

  it('delivers coded errors that the client turns into OasisCodedError', async () => {
    await assert.rejects(
      nic.stakingAccount({ owner: new Uint8Array(3), height: 0 }),
      (e: { oasisModule?: string; oasisCode?: number }) => e.oasisModule === 'staking' && e.oasisCode === 1,
    );
    const signed = {
      untrusted_raw_value: new Uint8Array(1),
      signature: { public_key: new Uint8Array(32), signature: new Uint8Array(64) },
    };
    await assert.rejects(
      nic.consensusSubmitTx(signed),
      (e: { oasisModule?: string; oasisCode?: number }) =>
        e.oasisModule === 'consensus/transaction' && e.oasisCode === 1,
    );
  });

  it('refuses operator methods and unknown methods over gRPC-web', async () => {
    await assert.rejects(nic.nodeControllerRequestShutdown(true), /PERMISSION_DENIED|7/);
    await assert.rejects(nic.consensusGetLatestHeight(), /UNIMPLEMENTED|12/);
    assert.deepEqual(shutdowns, []);
  });

  it('streams server-side messages over gRPC-web', async () => {
    const heights: number[] = await new Promise((resolve, reject) => {
      const got: number[] = [];
      const stream = nic.consensusWatchBlocks();
      stream.on('data', (b) => got.push(Number(b.height)));
      stream.on('error', reject);
      stream.on('end', () => resolve(got));
    });
    assert.deepEqual(heights, [1, 2, 3]);
  });

  it('answers CORS preflight and rejects oversize bodies', async () => {
    const pre = await fetch(`${url}/oasis-core.Staking/Account`, { method: 'OPTIONS' });
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-expose-headers') ?? '', /grpc-status-details-bin/);
    const big = await fetch(`${url}/oasis-core.Staking/Account`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: new Uint8Array(10_000),
    }).catch((e: Error) => e);
    if (!(big instanceof Error)) {
      const text = Buffer.from(await big.arrayBuffer()).toString('latin1');
      assert.match(text, /grpc-status:8/);
    }
    // The server is still healthy afterwards.
    assert.equal(await nic.consensusGetChainContext(), 'abc123');
  });

  it('serves the same methods over gRPC on a 0600 unix socket, including operator methods', async () => {
    assert.equal(statSync(socket).mode & 0o777, 0o600);
    const client = new NodeClient(`unix:${socket}`);
    try {
      assert.equal(await client.call('oasis-core.Consensus', 'GetChainContext'), 'abc123');
      // A zero reply is a reply, not "no message".
      assert.equal(await client.call('oasis-core.Consensus', 'GetSignerNonce', { height: 0 }), 0);
      const acct = (await client.call('oasis-core.Staking', 'Account', { owner, height: 1 })) as {
        general: { balance: Uint8Array };
      };
      assert.deepEqual(acct.general.balance, Uint8Array.of(2));
      await assert.rejects(client.call('oasis-core.Consensus', 'SubmitTx', {}), (e) =>
        CodedError.is(e, 'consensus/transaction', 1),
      );
      assert.equal(await client.call('oasis-core.NodeController', 'RequestShutdown', true), null);
      // Falsy requests (false, 0) must reach the handler too.
      assert.equal(await client.call('oasis-core.NodeController', 'RequestShutdown', false), null);
      assert.deepEqual(shutdowns, [true, false]);
      const blocks: CborValue[] = [];
      for await (const b of client.stream('oasis-core.Consensus', 'WatchBlocks')) blocks.push(b);
      assert.equal(blocks.length, 3);
    } finally {
      client.close();
    }
  });

  it('round-trips the status detail encoding', () => {
    const bin = encodeStatusDetails(2, 'm'.repeat(300), 'registry', 16);
    assert.deepEqual(decodeStatusDetails(bin), { module: 'registry', code: 16 });
    assert.equal(decodeStatusDetails(new Uint8Array([0xff, 0xff])), undefined);
  });
});
