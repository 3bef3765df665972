import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, u64be } from '../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { quantityToBytes } from '../../../src/codec/quantity.ts';
import { EMPTY_HASH, sha512_256 } from '../../../src/crypto/hash.ts';
import { buildGenesis } from '../../../src/genesis/builder.ts';
import { stateToGenesis } from '../../../src/genesis/state_to_genesis.ts';
import { checkGenesis } from '../../../src/node/genesis_check.ts';
import { encodeAccountsConfig } from '../../../src/runtime/process/paratimes/accounts/genesis.ts';
import { AccountsRuntime } from '../../../src/runtime/process/paratimes/accounts/runtime.ts';
import { executeBatch } from '../../../src/runtime/process/sdk/batch.ts';
import { MemoryTreeStore } from '../../../src/runtime/state/tree_store.ts';
import { setConsensusParameters } from '../../../src/services/consensus/state.ts';
import { registryGenesisCodec } from '../../../src/services/registry/api/genesis.ts';
import { RegistryQueries } from '../../../src/services/registry/api/queries.ts';
import { registryHooks } from '../../../src/services/registry/hooks.ts';
import { HeaderType } from '../../../src/services/roothash/api/block.ts';
import { roothashGenesisCodec } from '../../../src/services/roothash/api/genesis.ts';
import { type IncomingMessage, inMessagesHash } from '../../../src/services/roothash/api/incoming.ts';
import { RoothashMethods } from '../../../src/services/roothash/api/methods.ts';
import { RoothashQueries } from '../../../src/services/roothash/api/queries.ts';
import { checkRoothashInvariants } from '../../../src/services/roothash/sanity.ts';
import { RoothashState, RoothashStateReader } from '../../../src/services/roothash/state.ts';
import { stakingGenesisCodec } from '../../../src/services/staking/api/genesis.ts';
import { StakingQueries } from '../../../src/services/staking/api/queries.ts';
import { KeyPrefix, makeKey } from '../../../src/state/keys.ts';
import { StateOverlay } from '../../../src/state/overlay.ts';
import { addr, key, nodeKeys, type RegistryChain } from '../registry/fixture.ts';
import { expectFailure, expectOk } from '../registry/helpers.ts';
import {
  commitBody,
  commitment,
  committeeNodes,
  latestHeader,
  nextScheduler,
  RUNTIME,
  RUNTIME_ADDRESS,
  roothashChain,
  runUntil,
  submit,
} from './fixture.ts';
import {
  DEPOSIT,
  finalizeWith,
  MIN_FEE,
  processed,
  queueChain,
  queueFrom,
  submitBody,
} from './incoming_fixture.ts';

const queue = (c: RegistryChain) => new RoothashStateReader(c.state).incomingMessages(RUNTIME);
const meta = (c: RegistryChain) => new RoothashStateReader(c.state).incomingMessageQueueMeta(RUNTIME);
const general = (c: RegistryChain, a: Uint8Array) => c.staking.account(a).general.balance;

describe('roothash.SubmitMsg', () => {
  it('moves fee + tokens to the runtime account and queues the message with the next id', () => {
    const c = queueChain();
    const supply = c.staking.totalSupply();
    const caller0 = general(c, addr(1));
    const runtime0 = general(c, RUNTIME_ADDRESS);
    const res = c.run(key(1), RoothashMethods.submitMsg, submitBody({ tag: 7n, fee: 15n, tokens: 100n }));
    expectOk(res);
    assert.equal(res.gasUsed, 1000n, 'submit_msg gas');
    assert.ok(res.events.some((e) => e.module === 'staking' && e.kind === 'transfer'));
    assert.equal(general(c, addr(1)), caller0 - 115n);
    assert.equal(general(c, RUNTIME_ADDRESS), runtime0 + 115n);
    assert.equal(c.staking.totalSupply(), supply);
    assert.deepEqual(queue(c), [{ id: 0n, caller: addr(1), tag: 7n, fee: 15n, tokens: 100n, data: DEPOSIT }]);
    assert.deepEqual(meta(c), { size: 1, next_sequence_number: 1n });

    expectOk(c.run(key(2), RoothashMethods.submitMsg, submitBody({ tokens: 0n })));
    assert.deepEqual(
      queue(c).map((m) => [m.id, m.tag, m.tokens]),
      [
        [0n, 7n, 100n],
        [1n, 0n, 0n],
      ],
    );
    assert.deepEqual(meta(c), { size: 2, next_sequence_number: 2n });
    const reader = new RoothashStateReader(c.state);
    assert.deepEqual(
      reader.incomingMessages(RUNTIME, 1).map((m) => m.id),
      [0n],
      'the executor reads at most max_in_messages',
    );
    assert.deepEqual(
      reader.incomingMessages(RUNTIME, undefined, 1n).map((m) => m.id),
      [1n],
    );
    assert.deepEqual(reader.incomingMessages(RUNTIME, 0), []);
    assert.deepEqual(reader.incomingMessageQueueMeta(new Uint8Array(32).fill(9)), {
      size: 0,
      next_sequence_number: 0n,
    });
  });

  it('refuses with oasis-core codes and changes nothing but fee and nonce', () => {
    const early = roothashChain({
      params: { max_in_runtime_messages: 8 },
      runtime: (rt) => void (rt.txn_scheduler.max_in_messages = 3),
    });
    expectFailure(early, key(1), RoothashMethods.submitMsg, submitBody(), 'roothash', 6);

    const c = queueChain();
    const unknown = submitBody({ id: new Uint8Array(32).fill(9) });
    expectFailure(c, key(1), RoothashMethods.submitMsg, unknown, 'roothash', 3);
    expectFailure(c, key(1), RoothashMethods.submitMsg, submitBody({ fee: MIN_FEE - 1n }), 'roothash', 12);
    expectFailure(c, key(1), RoothashMethods.submitMsg, { id: RUNTIME, fee: 'x' }, 'roothash', 1);
    expectFailure(c, key(2), RoothashMethods.submitMsg, submitBody({ tokens: 10_000n }), 'staking', 3);
    c.closeOpenBlock();
    queueFrom(c, [1, 2, 3]);
    expectFailure(c, key(1), RoothashMethods.submitMsg, submitBody(), 'roothash', 11);
    c.closeOpenBlock();
    assert.equal(queue(c).length, 3);

    const closed = queueChain(0);
    expectFailure(closed, key(1), RoothashMethods.submitMsg, submitBody(), 'roothash', 11);

    // A descriptor asking for a longer queue than the consensus-wide max_in_runtime_messages never
    // gets registered (oasis-core VerifyRuntimeParameters), here refused at genesis.
    assert.throws(() => queueChain(3, { params: { max_in_runtime_messages: 1 } }), {
      module: 'roothash',
      code: 13,
    });
  });

  it('refuses messages for a suspended runtime', () => {
    const c = queueChain();
    for (const n of [4, 5]) registryHooks.freezeNode(c.state, nodeKeys(n).node.publicKey, 3n);
    c.advanceToEpoch(2n);
    assert.equal(latestHeader(c).header_type, HeaderType.suspended);
    expectFailure(c, key(1), RoothashMethods.submitMsg, submitBody(), 'roothash', 5);
  });

  it('hashes processed messages as the runtime SDK does', () => {
    const m: IncomingMessage = {
      id: 3n,
      caller: addr(1),
      tag: 0n,
      fee: 10n,
      tokens: 0n,
      data: new Uint8Array(),
    };
    const form = {
      id: 3n,
      caller: addr(1),
      tag: 0n,
      fee: quantityToBytes(10n),
      tokens: new Uint8Array(),
      data: new Uint8Array(),
    };
    assert.deepEqual(inMessagesHash([m]), sha512_256(encodeCanonical([form])));
    assert.deepEqual(inMessagesHash([]), sha512_256(new Uint8Array()));
  });
});

describe('incoming queue invariants', () => {
  it('the sanity check catches a queue that disagrees with its metadata', () => {
    const c = queueChain();
    queueFrom(c, [1, 2]);
    checkRoothashInvariants(c.state);
    const st = new RoothashState(c.state);
    const [first] = st.incomingMessages(RUNTIME);
    c.state.remove(makeKey(KeyPrefix.roothashInMsgQueue, sha512_256(RUNTIME), u64be(first!.id)));
    assert.throws(() => checkRoothashInvariants(c.state), /1 incoming messages queued, size 2/);
    assert.throws(() => st.enqueueIncomingMessage(RUNTIME, { ...first!, id: 0n }), /out of sequence/);
  });
});

describe('incoming messages at finalization', () => {
  it('removes exactly the processed prefix when the round finalizes', () => {
    const c = queueChain();
    queueFrom(c, [1, 2, 3]);
    const queued = queue(c);
    const done = finalizeWith(c, processed(queued.slice(0, 2)));
    expectOk(done);
    const evs = done.events.filter((e) => e.module === 'roothash' && e.kind === 'in_msg_processed');
    assert.deepEqual(
      evs.map((e) => (e.value as { id: bigint; round: bigint }).id),
      [0n, 1n],
    );
    assert.equal((evs[0]!.value as { round: bigint }).round, 2n);
    const h = latestHeader(c);
    assert.equal(h.header_type, HeaderType.normal);
    assert.deepEqual(h.in_msgs_hash, inMessagesHash(queued.slice(0, 2)));
    assert.deepEqual(queue(c), queued.slice(2));
    assert.deepEqual(meta(c), { size: 1, next_sequence_number: 3n });

    // The next round may process the rest; the sequence keeps counting.
    expectOk(finalizeWith(c, processed(queue(c))));
    assert.deepEqual(queue(c), []);
    assert.deepEqual(meta(c), { size: 0, next_sequence_number: 3n });
    queueFrom(c, [1]);
    assert.deepEqual(
      queue(c).map((m) => m.id),
      [3n],
    );
  });

  it("refuses a scheduler commitment whose in_msgs_hash or in_msgs_count does not match the queue's head", () => {
    const c = queueChain();
    queueFrom(c, [1, 2]);
    const queued = queue(c);
    const scheduler = nextScheduler(c);
    const other = committeeNodes(c).workers.find((w) => w !== scheduler)!;
    const wrongHash = commitment(c, scheduler, {
      inMsgs: { count: 1, hash: inMessagesHash(queued.slice(1)) },
    });
    expectFailure(
      c,
      key(1),
      RoothashMethods.executorCommit,
      commitBody([wrongHash]),
      'roothash/commitment',
      13,
    );
    const reordered = commitment(c, scheduler, {
      inMsgs: { count: 2, hash: inMessagesHash([queued[1]!, queued[0]!]) },
    });
    expectFailure(
      c,
      key(1),
      RoothashMethods.executorCommit,
      commitBody([reordered]),
      'roothash/commitment',
      13,
    );
    // Claiming more than is queued is refused even when the hash covers what is queued.
    const tooMany = commitment(c, scheduler, { inMsgs: { count: 3, hash: inMessagesHash(queued) } });
    expectFailure(
      c,
      key(1),
      RoothashMethods.executorCommit,
      commitBody([tooMany]),
      'roothash/commitment',
      13,
    );
    c.closeOpenBlock();
    // A non-scheduler worker that disagrees is not refused: it is a discrepancy for the pool to settle.
    expectOk(
      submit(c, [commitment(c, other, { scheduler, inMsgs: { count: 0, hash: inMessagesHash([]) } })])
        .results[0]!,
    );
    assert.deepEqual(queue(c), queued);
  });

  it("accepts the in_msgs_hash/count the accounts ParaTime commits after processing the executor's read", () => {
    const c = queueChain();
    queueFrom(c, [1, 2]);
    // No tag, no tokens: the fields oasis-core's encoding would omit are hashed as the SDK hashes them.
    expectOk(c.run(key(3), RoothashMethods.submitMsg, submitBody({ tokens: 0n })));
    const rs = new RoothashStateReader(c.state).runtimeState(RUNTIME)!;
    const inMsgs = new RoothashStateReader(c.state).incomingMessages(
      RUNTIME,
      rs.runtime.txn_scheduler.max_in_messages,
    );
    const app = new AccountsRuntime();
    const store = new MemoryTreeStore();
    const root = store.apply(
      EMPTY_HASH,
      app.init({
        runtime_id: RUNTIME,
        consensus_backend: 'tendermint',
        consensus_protocol_version: { major: 7 },
        consensus_chain_context: 'incoming-test',
        local_config: encodeAccountsConfig({ balances: [] }),
      }),
    );
    const out = executeBatch(app, store, {
      round: 2n,
      state_root: root,
      consensus_height: BigInt(c.height),
      epoch: c.epoch,
      timestamp: 0n,
      max_messages: 0,
      inputs: [],
      in_msgs: inMsgs,
    });
    assert.equal(out.header.in_msgs_count, 3);
    expectOk(finalizeWith(c, { count: out.header.in_msgs_count, hash: out.header.in_msgs_hash }));
    assert.deepEqual(queue(c), []);
  });

  it('keeps the queue when the round fails', () => {
    const c = queueChain(3, { roundTimeout: 1n });
    queueFrom(c, [1]);
    const queued = queue(c);
    const scheduler = nextScheduler(c);
    expectOk(submit(c, [commitment(c, scheduler, { inMsgs: processed(queued) })]).results[0]!);
    const timeout = () => new RoothashStateReader(c.state).runtimeState(RUNTIME)!.timeout;
    runUntil(c, timeout()); // the missing worker is a discrepancy: the backups get a stretched timer
    runUntil(c, timeout());
    assert.equal(latestHeader(c).header_type, HeaderType.roundFailed);
    assert.deepEqual(queue(c), queued);
    assert.deepEqual(meta(c), { size: 1, next_sequence_number: 1n });
    c.advanceToEpoch(2n); // a new committee processes it in the next epoch
    expectOk(finalizeWith(c, processed(queued)));
    assert.deepEqual(queue(c), []);
  });

  it('conserves supply; a dump with queued messages restarts and passes genesis check', () => {
    const c = queueChain();
    const supply = c.staking.totalSupply();
    const total0 = general(c, addr(1)) + general(c, addr(2)) + general(c, RUNTIME_ADDRESS);
    queueFrom(c, [1, 2], 250n);
    assert.equal(general(c, addr(1)) + general(c, addr(2)) + general(c, RUNTIME_ADDRESS), total0);
    assert.equal(c.staking.totalSupply(), supply);
    const runtimeBalance = general(c, RUNTIME_ADDRESS);

    const asCbor = (v: unknown) => decodeCanonical(encodeCanonical(v));
    const staking = stakingGenesisCodec.decode(asCbor(StakingQueries.stateToGenesis(c.state)), 'staking');
    const registry = registryGenesisCodec.decode(asCbor(RegistryQueries.stateToGenesis(c.state)), 'registry');
    const roothash = roothashGenesisCodec.decode(asCbor(RoothashQueries.stateToGenesis(c.state)), 'roothash');
    const restarted = roothashChain({
      dumped: { staking, registry },
      runtimeStates: roothash.runtime_states,
      params: roothash.params,
    });
    assert.equal(general(restarted, RUNTIME_ADDRESS), runtimeBalance);
    assert.equal(restarted.staking.totalSupply(), supply);
    assert.deepEqual(queue(restarted), [], 'oasis-core genesis carries no incoming queue');

    // The node's whole-document dump (consensus parameters taken from a built genesis) passes the check.
    const original = buildGenesis({ chainId: 'dump', time: 0, entities: [], nodes: [], accounts: [] });
    const withParams = new StateOverlay(c.state);
    setConsensusParameters(withParams, original.consensus.params);
    const dump = stateToGenesis(original, withParams, c.height - 1, 100);
    assert.ok(checkGenesis(dump) >= 1);
    // The runtime resumes at its latest round and state root.
    const last = latestHeader(c);
    const resumed = [...dump.roothash.runtime_states.values()];
    assert.deepEqual(
      resumed.map((r) => [r.round, toHex(r.state_root)]),
      [[last.round, toHex(last.state_root)]],
    );
  });
});
