import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { fromHex } from '../../../../src/codec/bytes.ts';
import { quantityToBytes } from '../../../../src/codec/quantity.ts';
import { addressFromPublicKey } from '../../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../../src/crypto/ed25519.ts';
import { CodedError } from '../../../../src/errors.ts';
import { RuntimeHost, type RuntimeHostConfig } from '../../../../src/runtime/node/host/host.ts';
import type { SupervisorEvent } from '../../../../src/runtime/node/host/supervisor.ts';
import { LmdbTreeStore } from '../../../../src/runtime/node/state/lmdb_tree_store.ts';
import {
  accountsGenesis,
  encodeAccountsConfig,
} from '../../../../src/runtime/process/paratimes/accounts/genesis.ts';
import { Methods } from '../../../../src/runtime/process/paratimes/accounts/params.ts';
import { signRuntimeTransaction } from '../../../../src/runtime/process/sdk/sign.ts';
import { runtimeSignatureContext } from '../../../../src/runtime/process/sdk/transaction.ts';
import { RHP_MODULE, RhpErrorCode } from '../../../../src/runtime/protocol/errors.ts';
import { clientQuery } from './client_query.ts';
import { untilEvent } from './supervisor_events.ts';

const RUNTIME_ID = fromHex(`80${'00'.repeat(31)}`);
const CHAIN = 'test-chain-context';
const ACCOUNTS_ENTRY = fileURLToPath(
  new URL('../../../../src/runtime/process/paratimes/accounts/main.ts', import.meta.url),
);
const MISBEHAVING_ENTRY = fileURLToPath(new URL('./fixtures/misbehaving_runtime.ts', import.meta.url));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const seed1 = new Uint8Array(32).fill(1);
const key1 = Ed25519KeyPair.fromSeed(seed1);
const addr1 = addressFromPublicKey(key1.publicKey);
const addr2 = addressFromPublicKey(Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(2)).publicKey);
const context = runtimeSignatureContext(RUNTIME_ID, CHAIN);
const config = { balances: [[addr1, 10n ** 12n]] as Array<[Uint8Array, bigint]>, minGasPrice: 0n };

function hostConfig(
  entry: string,
  events: SupervisorEvent[],
  extra: Partial<RuntimeHostConfig> = {},
): RuntimeHostConfig {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'rh-'));
  dirs.push(runtimeDir);
  return {
    runtimeId: RUNTIME_ID,
    runtimeDir,
    entry,
    consensus: { backend: 'tendermint', protocolVersion: { major: 7 }, chainContext: CHAIN },
    maxOldSpaceMb: 128,
    callTimeoutMs: 15_000,
    backoff: { initialMs: 20, maxMs: 200, stableAfterMs: 60_000 },
    onEvent: (e) => events.push(e),
    ...extra,
  };
}

const transfer = (nonce: bigint, amount = 1n) =>
  signRuntimeTransaction(
    key1,
    {
      method: Methods.transfer,
      body: { to: addr2, amount: [quantityToBytes(amount), new Uint8Array(0)] },
      nonce,
      fee: 0n,
      gas: 10_000n,
    },
    context,
  );

const code = (c: number) => (err: unknown) =>
  err instanceof CodedError && err.module === RHP_MODULE && err.code === c;

const until = (events: SupervisorEvent[], pred: (e: SupervisorEvent) => boolean): Promise<void> =>
  untilEvent(events, pred, 15_000);

describe('RuntimeHost with the accounts ParaTime process', () => {
  it('handshakes, executes client-rt transactions, survives kill -9 mid-call and recovers state', async () => {
    const events: SupervisorEvent[] = [];
    const host = new RuntimeHost(
      hostConfig(ACCOUNTS_ENTRY, events, {
        localConfig: encodeAccountsConfig(config),
        genesisWriteLog: accountsGenesis(config),
      }),
    );
    try {
      const info = await host.start();
      assert.deepEqual(info.protocol_version, { major: 1 });
      assert.deepEqual(info.runtime_version, { major: 0, minor: 1 });
      const block = (round: bigint, state_root: Uint8Array) => ({
        round,
        state_root,
        consensus_height: round,
        epoch: 0n,
        timestamp: 0n,
        max_messages: 4,
        in_msgs: [],
      });

      // A transaction signed by the official client executes in the real runtime process.
      const signer = oasis.signature.NaclSigner.fromSeed(seed1, 'this key is not important');
      const w = new oasisRT.accounts.Wrapper(RUNTIME_ID).callTransfer();
      w.setBody({ to: addr2, amount: [oasis.quantity.fromBigInt(5n), oasisRT.token.NATIVE_DENOMINATION] });
      w.setSignerInfo([{ address_spec: { signature: { ed25519: signer.public() } }, nonce: 0n }]);
      w.setFeeGas(10_000n);
      await w.sign([new oasis.signature.BlindContextSigner(signer)], CHAIN);
      const first = await host.executeBatch({
        ...block(1n, host.genesisStateRoot),
        inputs: [oasis.misc.toCBOR(w.unverifiedTransaction)],
      });
      assert.deepEqual(oasis.misc.fromCBOR(first.results[0]!), { ok: null });
      const root1 = first.header.state_root;

      // Queries as client-rt's wrappers build them (method and CBOR args bytes), answers decoded as they decode.
      const query = <A, D>(q: oasisRT.wrapper.QueryWrapper<A, D>, root: Uint8Array) =>
        clientQuery(host, q, root, 1n);
      const wrapper = new oasisRT.accounts.Wrapper(RUNTIME_ID);
      const balances = await query(wrapper.queryBalances().setArgs({ address: addr2 }), root1);
      assert.deepEqual(
        [...balances.balances].map(([d, a]) => [d.length, oasis.quantity.toBigInt(a)]),
        [[0, 5n]],
      );
      assert.equal(await query(wrapper.queryNonce().setArgs({ address: addr1 }), root1), 1);

      const checked = await host.checkTxBatch({
        round: 2n,
        state_root: root1,
        consensus_height: 2n,
        epoch: 0n,
        inputs: [transfer(0n), transfer(1n)],
      });
      assert.deepEqual(
        checked.results.map((r) => r.error.code),
        [oasisRT.core.ERR_INVALID_NONCE_CODE, undefined],
      );

      // kill -9 while a batch is in flight: the call fails cleanly, the runtime comes back.
      const pid = host.pid!;
      const inflight = host.executeBatch({ ...block(2n, root1), inputs: [transfer(1n)] });
      process.kill(pid, 'SIGKILL');
      await assert.rejects(inflight, code(RhpErrorCode.runtimeDied));
      await until(events, (e) => e.type === 'ready' && e.generation === 2);
      assert.notEqual(host.pid, pid);

      // The new process never saw root1: it fetches it from the host, verifies it, and executes on it.
      const second = await host.executeBatch({ ...block(2n, root1), inputs: [transfer(1n), transfer(1n)] });
      assert.deepEqual(
        second.results.map((r) => oasis.misc.fromCBOR(r)),
        [{ ok: null }, { fail: { module: 'core', code: 4, message: 'invalid nonce 1 (expected 2)' } }],
      );
      const nonce = await host.query({
        round: 2n,
        state_root: second.header.state_root,
        consensus_height: 2n,
        epoch: 0n,
        method: Methods.nonce,
        args: { address: addr1 },
      });
      assert.equal(nonce.data, 2);
      // An incoming consensus message (a deposit) crosses the wire with its amounts and is credited.
      const deposit = await host.executeBatch({
        ...block(3n, second.header.state_root),
        inputs: [],
        in_msgs: [{ id: 0n, caller: addr2, tag: 0n, fee: 0n, tokens: 40n, data: new Uint8Array(0) }],
      });
      assert.equal(deposit.header.in_msgs_count, 1);
      const credited = await query(
        wrapper.queryBalances().setArgs({ address: addr2 }),
        deposit.header.state_root,
      );
      assert.deepEqual(
        [...credited.balances].map(([, a]) => oasis.quantity.toBigInt(a)),
        [5n + 1n + 40n],
      );
      await host.abort();
      await host.ping();
      assert.equal(host.generation, 2, 'an acknowledged abort does not restart the runtime');
    } finally {
      const pid = host.pid;
      await host.stop();
      if (pid !== undefined)
        assert.throws(() => process.kill(pid, 0), 'the runtime process is gone after stop');
    }
    await assert.rejects(host.ping(), code(RhpErrorCode.unavailable));
  });

  it('treats garbage frames from the runtime as a fault: kill, restart with back-off, calls fail cleanly', async () => {
    const events: SupervisorEvent[] = [];
    const host = new RuntimeHost(hostConfig(MISBEHAVING_ENTRY, events, { localConfig: 'garbage' }));
    try {
      await host.start();
      await assert.rejects(host.ping(), code(RhpErrorCode.protocolViolation));
      await until(events, (e) => e.type === 'ready' && e.generation === 2);
      await assert.rejects(host.ping(), code(RhpErrorCode.protocolViolation));
      await until(events, () => events.filter((e) => e.type === 'restart-scheduled').length >= 2);
      const downs = events.filter((e) => e.type === 'down');
      assert.ok(downs.every((e) => e.type === 'down' && e.reason.code === RhpErrorCode.protocolViolation));
      const delays = events.flatMap((e) => (e.type === 'restart-scheduled' ? [e.delayMs] : []));
      assert.deepEqual(delays.slice(0, 2), [20, 40], 'exponential back-off between short-lived runs');
    } finally {
      await host.stop();
    }
  });

  it('answers a query the runtime died under from the restarted runtime (idempotent calls are retried once)', async () => {
    const events: SupervisorEvent[] = [];
    const host = new RuntimeHost(hostConfig(MISBEHAVING_ENTRY, events, { localConfig: 'die-once' }));
    try {
      await host.start();
      const context = { round: 1n, state_root: host.genesisStateRoot, consensus_height: 1n, epoch: 0n };
      const res = await host.query({ ...context, method: 'anything', args: null });
      assert.equal(res.data, 'alive');
      assert.ok(
        events.some((e) => e.type === 'ready' && e.generation === 2),
        'answered by the second runtime',
      );
    } finally {
      await host.stop();
    }
  });

  it('kills and restarts a runtime stuck in a call that does not acknowledge an abort', async () => {
    const events: SupervisorEvent[] = [];
    const host = new RuntimeHost(
      hostConfig(MISBEHAVING_ENTRY, events, { localConfig: 'hang', abortTimeoutMs: 200 }),
    );
    try {
      await host.start();
      const stuck = host.ping().then(
        () => null,
        (err: unknown) => err,
      );
      await new Promise((r) => setTimeout(r, 50));
      await host.abort();
      assert.ok(code(RhpErrorCode.aborted)(await stuck));
      await until(events, (e) => e.type === 'down' && e.reason.code === RhpErrorCode.aborted);
      await until(events, (e) => e.type === 'ready' && e.generation === 2);
    } finally {
      await host.stop();
    }
  });

  it('refuses an execute result whose write log does not yield the claimed state root', async () => {
    const events: SupervisorEvent[] = [];
    const host = new RuntimeHost(hostConfig(MISBEHAVING_ENTRY, events, { localConfig: 'lie' }));
    try {
      await host.start();
      const req = {
        round: 1n,
        state_root: host.genesisStateRoot,
        consensus_height: 1n,
        epoch: 0n,
        timestamp: 0n,
        max_messages: 0,
        inputs: [],
        in_msgs: [],
      };
      await assert.rejects(
        host.executeBatch(req),
        (e: CodedError) => code(RhpErrorCode.protocolViolation)(e) && /claimed state root/.test(e.message),
      );
      await assert.rejects(
        host.executeBatch({ ...req, state_root: new Uint8Array(32).fill(9) }),
        code(RhpErrorCode.stateUnavailable),
      );
    } finally {
      await host.stop();
    }
  });

  it('keeps retrying a runtime that cannot start, with growing delays, and start() fails cleanly', async () => {
    const events: SupervisorEvent[] = [];
    const missing = join(tmpdir(), 'no-such-runtime-entry.ts');
    const host = new RuntimeHost(hostConfig(missing, events, { handshakeTimeoutMs: 1_500 }));
    try {
      await assert.rejects(host.start(), code(RhpErrorCode.unavailable));
      // The supervisor keeps trying after start() gave up (on a loaded machine one attempt may take longer
      // than the handshake timeout).
      await until(events, () => events.filter((e) => e.type === 'exited').length >= 2);
      const exits = events.filter((e) => e.type === 'exited');
      assert.ok(exits.length >= 2, `${exits.length} attempts`);
      assert.ok(exits.every((e) => e.type === 'exited' && e.code !== 0));
      const delays = events.flatMap((e) => (e.type === 'restart-scheduled' ? [e.delayMs] : []));
      assert.deepEqual(delays.slice(0, 2), [20, 40]);
    } finally {
      await host.stop();
    }
    const spawned = host.generation;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(host.generation, spawned, 'no restart after stop');
  });

  it('with an LMDB state store, a restarted node executes on the state root its previous run left', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'rhs-'));
    dirs.push(stateDir);
    const events: SupervisorEvent[] = [];
    const block = (root: Uint8Array, inputs: Uint8Array[]) => ({
      round: 1n,
      state_root: root,
      consensus_height: 1n,
      epoch: 0n,
      timestamp: 0n,
      max_messages: 0,
      inputs,
      in_msgs: [],
    });
    let store = LmdbTreeStore.open(stateDir);
    let host = new RuntimeHost(
      hostConfig(ACCOUNTS_ENTRY, events, {
        localConfig: encodeAccountsConfig(config),
        genesisWriteLog: accountsGenesis(config),
        state: store,
      }),
    );
    let root1: Uint8Array;
    try {
      await host.start();
      root1 = (await host.executeBatch(block(host.genesisStateRoot, [transfer(0n, 9n)]))).header.state_root;
    } finally {
      await host.stop();
      await store.close();
    }
    store = LmdbTreeStore.open(stateDir);
    host = new RuntimeHost(
      hostConfig(ACCOUNTS_ENTRY, events, { localConfig: encodeAccountsConfig(config), state: store }),
    );
    try {
      await host.start();
      const out = await host.executeBatch({ ...block(root1, [transfer(1n, 1n)]), round: 2n });
      assert.deepEqual(oasis.misc.fromCBOR(out.results[0]!), { ok: null });
      // The spread carries execute-only fields; the host must not forward them to the strict runtime.
      const q = await host.query({
        ...block(out.header.state_root, []),
        method: Methods.nonce,
        args: { address: addr1 },
      });
      assert.equal(q.data, 2);
    } finally {
      await host.stop();
      await store.close();
    }
  });
});
