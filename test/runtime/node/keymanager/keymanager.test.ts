import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { toHex } from '../../../../src/codec/bytes.ts';
import { x25519PublicKey } from '../../../../src/crypto/mrae.ts';
import { MemoryHost, MemoryNetwork } from '../../../../src/p2p/memory_host.ts';
import { KeyManagerClient } from '../../../../src/runtime/node/keymanager/client.ts';
import { KeyManagerSecrets } from '../../../../src/runtime/node/keymanager/kdf.ts';
import { loadOrCreateMasterSecret } from '../../../../src/runtime/node/keymanager/master_secret.ts';
import type { KeyManagerRegistryReads } from '../../../../src/runtime/node/keymanager/registry_reads.ts';
import { KeyManagerService } from '../../../../src/runtime/node/keymanager/service.ts';
import { verifyPublicKey } from '../../../../src/runtime/protocol/keymanager.ts';
import { setCurrentEpochState } from '../../../../src/services/beacon/state.ts';
import { type NodeDescriptor, NodeRoles } from '../../../../src/services/registry/api/node.ts';
import type { Runtime } from '../../../../src/services/registry/api/runtime.ts';
import { EMPTY_STATE, StateOverlay } from '../../../../src/state/overlay.ts';

const dir = mkdtempSync(join(tmpdir(), 'km-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const id = (first: number, last: number) => {
  const b = new Uint8Array(32);
  b[0] = first;
  b[31] = last;
  return b;
};
const KM = id(0xc0, 0xff);
const RUNTIME = id(0x80, 2);
const OTHER_RUNTIME = id(0x80, 1);
const keyPairId = new Uint8Array(32).fill(7);
const key = (n: number) => new Uint8Array(32).fill(n);

describe('key manager secrets', () => {
  it('keeps one master secret, 0600, across restarts, so the keys stay the same', () => {
    const path = join(dir, 'a', 'master_secret');
    const first = loadOrCreateMasterSecret(path);
    assert.equal(first.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const again = loadOrCreateMasterSecret(path);
    assert.equal(again.created, false);
    assert.equal(toHex(again.secret), toHex(first.secret));
    const request = { runtime_id: RUNTIME, key_pair_id: keyPairId, epoch: 3n };
    const a = new KeyManagerSecrets(first.secret, KM).keyPair(request);
    const b = new KeyManagerSecrets(again.secret, KM).keyPair(request);
    assert.deepEqual(a, b);
    chmodSync(path, 0o644);
    assert.throws(() => loadOrCreateMasterSecret(path), /accessible by others/);
  });

  it('derives distinct pairs per epoch, runtime and kind, and signs each public key', () => {
    const secrets = new KeyManagerSecrets(key(1), KM);
    const request = { runtime_id: RUNTIME, key_pair_id: keyPairId, epoch: 3n };
    const pair = secrets.keyPair(request);
    assert.equal(toHex(pair.public_key.key), toHex(x25519PublicKey(pair.secret)));
    assert.equal(pair.public_key.expiration, 13n);
    assert.equal(pair.public_key.checksum.length, 32);
    assert.ok(verifyPublicKey(pair.public_key, secrets.signer.publicKey, request));
    assert.ok(!verifyPublicKey(pair.public_key, secrets.signer.publicKey, { ...request, epoch: 4n }));
    assert.ok(!verifyPublicKey(pair.public_key, new KeyManagerSecrets(key(2), KM).signer.publicKey, request));
    const others = [
      secrets.keyPair({ ...request, epoch: 4n }),
      secrets.keyPair({ ...request, runtime_id: OTHER_RUNTIME }),
      secrets.keyPair({ runtime_id: RUNTIME, key_pair_id: keyPairId }),
      new KeyManagerSecrets(key(2), KM).keyPair(request),
    ];
    for (const o of others) {
      assert.notEqual(toHex(o.secret), toHex(pair.secret));
      assert.notEqual(toHex(o.state_key), toHex(pair.state_key));
    }
    assert.equal(others[2]!.public_key.expiration, undefined);
  });
});

describe('key manager service and client over P2P', () => {
  const node = (p2p: MemoryHost, roles: number, runtimes: Uint8Array[]) =>
    ({
      p2p: { id: Buffer.from(p2p.self, 'hex'), addresses: [] },
      roles,
      runtimes: runtimes.map((r) => ({ id: r })),
    }) as unknown as NodeDescriptor;

  async function network() {
    const net = new MemoryNetwork();
    const hosts = await Promise.all(
      [0xa0, 0xa1, 0xa2, 0xa3].map(async (n) => {
        const h = new MemoryHost(net, key(n));
        await h.start();
        return h;
      }),
    );
    const [km, computeA, computeB, stranger] = hosts as [MemoryHost, MemoryHost, MemoryHost, MemoryHost];
    for (const h of [computeA, computeB, stranger]) await h.connect(km.self);
    const state = new StateOverlay(EMPTY_STATE);
    setCurrentEpochState(state, { epoch: 5n, height: 100 });
    const nodes = [
      node(km, NodeRoles.keyManager, [KM]),
      node(computeA, NodeRoles.computeWorker, [RUNTIME, OTHER_RUNTIME]),
      node(computeB, NodeRoles.computeWorker, [RUNTIME]),
      node(stranger, NodeRoles.observer, [RUNTIME]),
    ];
    const runtimes = new Map([
      [toHex(RUNTIME), { key_manager: KM } as Runtime],
      [toHex(OTHER_RUNTIME), { key_manager: KM } as Runtime],
    ]);
    const reads: KeyManagerRegistryReads = {
      runtime: (_s, rid) => runtimes.get(toHex(rid)),
      nodes: () => nodes,
    };
    const secrets = new KeyManagerSecrets(key(9), KM);
    new KeyManagerService({
      chainContext: 'test',
      secrets,
      policy: { keyManagerId: KM, mayQuery: [RUNTIME] },
      reads,
      latestState: () => state,
      log: pino({ level: 'silent' }),
    }).serve(km);
    const client = (p2p: MemoryHost, runtimeId = RUNTIME, retryForMs = 0) =>
      new KeyManagerClient({
        runtimeId,
        chainContext: 'test',
        p2p,
        reads,
        latestState: () => state,
        retryForMs,
      });
    return { secrets, client, state, computeA, computeB, stranger };
  }

  it('gives every compute node of an allowed runtime the same keys', async () => {
    const { secrets, client, computeA, computeB } = await network();
    const request = { key_pair_id: keyPairId, epoch: 5n };
    const a = await client(computeA).keyPair(request);
    const b = await client(computeB).keyPair(request);
    assert.deepEqual(a, b);
    assert.deepEqual(a, secrets.keyPair({ runtime_id: RUNTIME, ...request }));
  });

  it('refuses other peers, runtimes outside its policy and future epochs', async () => {
    const { client, computeA, stranger } = await network();
    await assert.rejects(
      client(stranger).keyPair({ key_pair_id: keyPairId, epoch: 5n }),
      /not a registered compute node/,
    );
    await assert.rejects(
      client(computeA, OTHER_RUNTIME).keyPair({ key_pair_id: keyPairId, epoch: 5n }),
      /not allowed by the key manager policy/,
    );
    await assert.rejects(
      client(computeA).keyPair({ key_pair_id: keyPairId, epoch: 7n }),
      /ahead of the chain/,
    );
    await assert.doesNotReject(client(computeA).keyPair({ key_pair_id: keyPairId, epoch: 6n }));
  });

  it('asks again while the key manager catches up with the chain', async () => {
    // A restarted key manager's state lags: it refuses the current epoch's key until it has synced.
    const { secrets, client, state, computeA } = await network();
    const request = { key_pair_id: keyPairId, epoch: 7n };
    setTimeout(() => setCurrentEpochState(state, { epoch: 7n, height: 120 }), 300);
    const pair = await client(computeA, RUNTIME, 5_000).keyPair(request);
    assert.deepEqual(pair, secrets.keyPair({ runtime_id: RUNTIME, ...request }));
  });
});
