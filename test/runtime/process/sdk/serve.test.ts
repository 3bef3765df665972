import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it, type TestContext } from 'node:test';
import { fromHex } from '../../../../src/codec/bytes.ts';
import { addressFromPublicKey } from '../../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../../src/crypto/ed25519.ts';
import { EMPTY_HASH } from '../../../../src/crypto/hash.ts';
import { CodedError } from '../../../../src/errors.ts';
import {
  accountsGenesis,
  encodeAccountsConfig,
} from '../../../../src/runtime/process/paratimes/accounts/genesis.ts';
import { Methods } from '../../../../src/runtime/process/paratimes/accounts/params.ts';
import { AccountsRuntime } from '../../../../src/runtime/process/paratimes/accounts/runtime.ts';
import { QUERIED_ROOTS_KEPT, RuntimeServer } from '../../../../src/runtime/process/sdk/serve.ts';
import { type RequestHandler, RhpConnection } from '../../../../src/runtime/protocol/connection.ts';
import { RHP_MODULE, RhpErrorCode, rhpError } from '../../../../src/runtime/protocol/errors.ts';
import type {
  HostStorageDiffRequest,
  HostStorageSyncRequest,
  WriteLogEntry,
} from '../../../../src/runtime/protocol/types.ts';
import { MemoryTreeStore } from '../../../../src/runtime/state/tree_store.ts';

const RUNTIME_ID = fromHex(`80${'00'.repeat(31)}`);
const dir = mkdtempSync(join(tmpdir(), 'rts-'));
const path = join(dir, 's.sock');
let server: Server;
let accepted: (s: Socket) => void;
const open: Socket[] = [];
before(async () => {
  server = createServer((s) => {
    open.push(s);
    accepted(s);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
});
after(async () => {
  // Peers some tests leave open would keep `close` waiting: end them first.
  for (const s of open) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** The accounts runtime served in process; `host` is the host end, answering storage requests with `onHost`. */
async function connectRuntime(test: TestContext, onHost: RequestHandler) {
  const peer = new Promise<Socket>((resolve) => (accepted = resolve));
  const runtime = new RuntimeServer(new AccountsRuntime());
  runtime.attach(new RhpConnection(connect(path), { onRequest: runtime.handle }));
  const host = new RhpConnection(await peer, { onRequest: onHost });
  // Closing the host end closes the runtime end too, so nothing keeps the test process alive.
  test.after(() => host.close(new CodedError('test', 0, 'done')));
  return { runtime, host };
}

const addr = addressFromPublicKey(Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(1)).publicKey);
const config = { balances: [[addr, 77n]] as Array<[Uint8Array, bigint]>, minGasPrice: 0n };
const info = {
  runtime_id: RUNTIME_ID,
  consensus_backend: 'tendermint',
  consensus_protocol_version: {},
  consensus_chain_context: 'chain',
  local_config: encodeAccountsConfig(config),
};
const balancesQuery = (state_root: Uint8Array) => ({
  round: 1n,
  state_root,
  consensus_height: 1n,
  epoch: 0n,
  method: Methods.balances,
  args: { address: addr },
});
const nativeBalance = (data: unknown): bigint => {
  const balances = (data as { balances: Map<Uint8Array, Uint8Array> }).balances;
  assert.deepEqual([...balances.keys()], [new Uint8Array(0)]);
  return BigInt(`0x${Buffer.from([...balances.values()][0]!).toString('hex')}`);
};
const isCode = (c: number) => (e: unknown) =>
  e instanceof CodedError && e.module === RHP_MODULE && e.code === c;

it('refuses work before the handshake, then serves genesis from local_config', async (t) => {
  const { host } = await connectRuntime(t, () => ({ kind: 'Empty', body: {} }));
  await assert.rejects(
    host.request('RuntimeQueryRequest', balancesQuery(EMPTY_HASH)),
    isCode(RhpErrorCode.handshake),
  );
  await host.request('RuntimeInfoRequest', info);
  const genesis = new MemoryTreeStore().apply(EMPTY_HASH, accountsGenesis(config));
  const res = await host.request('RuntimeQueryRequest', balancesQuery(genesis));
  assert.equal(nativeBalance(res.data), 77n);
});

it('fetches a state root it lacks from the host and accepts it only if it hashes to that root', async (t) => {
  const hostState = new MemoryTreeStore();
  const genesis = hostState.apply(EMPTY_HASH, accountsGenesis(config));
  const later = hostState.apply(genesis, accountsGenesis({ balances: [[addr, 99n]], minGasPrice: 0n }));
  let lie = false;
  const { host } = await connectRuntime(t, (kind, body) => {
    // This host keeps no write logs: the runtime's catch-up falls back to a whole-state sync.
    if (kind === 'HostStorageDiffRequest') throw rhpError(RhpErrorCode.stateUnavailable, 'no logs kept');
    assert.equal(kind, 'HostStorageSyncRequest');
    const req = body as HostStorageSyncRequest;
    const entries = hostState.page(lie ? genesis : req.root, req.after, req.limit);
    return { kind: 'HostStorageSyncResponse', body: { entries } };
  });
  await host.request('RuntimeInfoRequest', info);
  lie = true;
  await assert.rejects(
    host.request('RuntimeQueryRequest', balancesQuery(later)),
    isCode(RhpErrorCode.stateUnavailable),
  );
  lie = false;
  const res = await host.request('RuntimeQueryRequest', balancesQuery(later));
  assert.equal(nativeBalance(res.data), 99n);
});

it('catches up on a root from the newest one it holds through the write logs the host applied, without a whole-state sync', async (t) => {
  const hostState = new MemoryTreeStore();
  const genesis = hostState.apply(EMPTY_HASH, accountsGenesis(config));
  const steps: WriteLogEntry[][] = [88n, 99n].map((amount) =>
    accountsGenesis({ balances: [[addr, amount]], minGasPrice: 0n }),
  );
  const middle = hostState.apply(genesis, steps[0]!);
  const latest = hostState.apply(middle, steps[1]!);
  const asked: string[] = [];
  let wrongLogs = false;
  const { host } = await connectRuntime(t, (kind, body) => {
    asked.push(kind);
    if (kind === 'HostStorageDiffRequest') {
      const req = body as HostStorageDiffRequest;
      assert.deepEqual(req, { from: genesis, to: latest }, 'from the newest root the runtime holds');
      return { kind: 'HostStorageDiffResponse', body: { write_logs: wrongLogs ? [steps[0]!] : steps } };
    }
    const req = body as HostStorageSyncRequest;
    return {
      kind: 'HostStorageSyncResponse',
      body: { entries: hostState.page(req.root, req.after, req.limit) },
    };
  });
  await host.request('RuntimeInfoRequest', info);
  // Logs that stop short of the root are not taken for it: the runtime syncs the state instead.
  wrongLogs = true;
  const [a, b] = await Promise.all([
    host.request('RuntimeQueryRequest', balancesQuery(latest)),
    host.request('RuntimeQueryRequest', balancesQuery(latest)),
  ]);
  assert.equal(nativeBalance(a.data), 99n);
  assert.equal(nativeBalance(b.data), 99n);
  assert.deepEqual(
    asked,
    ['HostStorageDiffRequest', 'HostStorageSyncRequest'],
    'one catch-up for both queries',
  );
});

it('applies the chain of write logs the host names from its newest root', async (t) => {
  const hostState = new MemoryTreeStore();
  const genesis = hostState.apply(EMPTY_HASH, accountsGenesis(config));
  const steps: WriteLogEntry[][] = [88n, 99n].map((amount) =>
    accountsGenesis({ balances: [[addr, amount]], minGasPrice: 0n }),
  );
  const latest = hostState.apply(hostState.apply(genesis, steps[0]!), steps[1]!);
  const asked: string[] = [];
  const { host } = await connectRuntime(t, (kind) => {
    asked.push(kind);
    if (kind !== 'HostStorageDiffRequest') throw rhpError(RhpErrorCode.unsupported, 'only logs here');
    return { kind: 'HostStorageDiffResponse', body: { write_logs: steps } };
  });
  await host.request('RuntimeInfoRequest', info);
  const res = await host.request('RuntimeQueryRequest', balancesQuery(latest));
  assert.equal(nativeBalance(res.data), 99n);
  assert.deepEqual(asked, ['HostStorageDiffRequest']);
});

it('answers queries at old roots from a small cache of fetched states, leaving the working store alone', async (t) => {
  const hostState = new MemoryTreeStore();
  const genesis = hostState.apply(EMPTY_HASH, accountsGenesis(config));
  const roots = [1n, 2n, 3n, 4n].map((b) =>
    hostState.apply(genesis, accountsGenesis({ balances: [[addr, 100n + b]], minGasPrice: 0n })),
  );
  let fetches = 0;
  const { runtime, host } = await connectRuntime(t, (kind, body) => {
    // Old roots are not where write logs lead: the runtime fetches them whole.
    if (kind === 'HostStorageDiffRequest') throw rhpError(RhpErrorCode.stateUnavailable, 'no logs');
    const req = body as HostStorageSyncRequest;
    if (req.after === undefined) fetches++;
    return {
      kind: 'HostStorageSyncResponse',
      body: { entries: hostState.page(req.root, req.after, req.limit) },
    };
  });
  await host.request('RuntimeInfoRequest', info);
  // Two queries at once at the same old root fetch it once.
  const both = await Promise.all(
    [0, 1].map(() => host.request('RuntimeQueryRequest', balancesQuery(roots[0]!))),
  );
  assert.deepEqual(
    both.map((r) => nativeBalance(r.data)),
    [101n, 101n],
  );
  assert.equal(fetches, 1);
  for (const [i, root] of roots.entries()) {
    const res = await host.request('RuntimeQueryRequest', balancesQuery(root));
    assert.equal(nativeBalance(res.data), 101n + BigInt(i));
  }
  assert.equal(fetches, roots.length, 'each old root fetched once');
  // The cache holds the last QUERIED_ROOTS_KEPT roots; the working store gained none of them.
  await host.request('RuntimeQueryRequest', balancesQuery(roots[3]!));
  assert.equal(fetches, roots.length);
  await host.request('RuntimeQueryRequest', balancesQuery(roots[0]!));
  assert.equal(fetches, roots.length + 1, 'the oldest queried root left the cache');
  assert.ok(runtime.store.has(genesis));
  assert.ok(roots.every((r) => !runtime.store.has(r)));
  assert.equal(QUERIED_ROOTS_KEPT, 2);
});
