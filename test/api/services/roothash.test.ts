import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { GrpcWebServer } from '../../../src/api/grpc_web.ts';
import { ApiRegistry } from '../../../src/api/method.ts';
import type { StateByHeight } from '../../../src/api/queries.ts';
import { roothashMethods } from '../../../src/api/services/roothash.ts';
import { quantityToBytes } from '../../../src/codec/quantity.ts';
import { RoothashStateReader } from '../../../src/services/roothash/state.ts';
import type { RegistryChain } from '../../services/registry/fixture.ts';
import { addr } from '../../services/registry/fixture.ts';
import {
  commitment,
  committeeNodes,
  nextScheduler,
  RUNTIME,
  roothashChain,
  roots,
  submit,
} from '../../services/roothash/fixture.ts';
import {
  DEPOSIT,
  finalizeWith,
  MIN_FEE,
  processed,
  queueChain,
  queueFrom,
} from '../../services/roothash/incoming_fixture.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

/** The chain's committed state, kept at its latest height only (as a pruning node would). */
function latestOnly(c: RegistryChain): StateByHeight {
  return {
    latestHeight: () => c.height - 1,
    stateAt: (h) => {
      if (h !== c.height - 1) throw new Error('not kept');
      return c.state;
    },
  };
}

/** A chain in epoch 1 whose runtime finalized round 2 with the `honest` roots. */
function finalizedChain(): RegistryChain {
  const c = roothashChain();
  c.advanceToEpoch(1n);
  const scheduler = nextScheduler(c);
  const other = committeeNodes(c).workers.find((w) => w !== scheduler)!;
  submit(c, [commitment(c, scheduler)]);
  submit(c, [commitment(c, other)]);
  return c;
}

const isRoothashNotFound = (e: { oasisModule?: string; oasisCode?: number }) =>
  e.oasisModule === 'roothash' && e.oasisCode === 2;

describe('oasis-core.RootHash through the official client', () => {
  const chain = finalizedChain();
  const registry = new ApiRegistry();
  registry.register(...roothashMethods(latestOnly(chain)));
  const web = new GrpcWebServer(registry);
  let nic: oasis.client.NodeInternal;
  const want = roots('honest');

  before(async () => {
    nic = new oasis.client.NodeInternal(await web.listen(0));
  });
  after(() => web.close());

  it('registers every query method as public', () => {
    const names = registry.all().map((m) => `${m.name}:${m.public}`);
    assert.deepEqual(names.sort(), [
      'ConsensusParameters:true',
      'GetGenesisBlock:true',
      'GetIncomingMessageQueue:true',
      'GetIncomingMessageQueueMeta:true',
      'GetLastRoundResults:true',
      'GetLatestBlock:true',
      'GetPastRoundRoots:true',
      'GetRoundRoots:true',
      'GetRuntimeState:true',
      'StateToGenesis:true',
    ]);
  });

  it('answers the latest and genesis blocks of the runtime', async () => {
    const latest = await nic.rootHashGetLatestBlock({ runtime_id: RUNTIME, height: 0 });
    assert.equal(Number(latest.header.round), 2);
    assert.deepEqual(latest.header.namespace, RUNTIME);
    assert.deepEqual(latest.header.state_root, want.state_root);
    assert.deepEqual(latest.header.io_root, want.io_root);
    const genesis = await nic.rootHashGetGenesisBlock({ runtime_id: RUNTIME, height: 0 });
    assert.equal(Number(genesis.header.round), 0);
    assert.deepEqual(genesis.header.namespace, RUNTIME);
  });

  it('answers the runtime state with its descriptor and blocks', async () => {
    const rs = await nic.rootHashGetRuntimeState({ runtime_id: RUNTIME, height: chain.height - 1 });
    assert.deepEqual(rs.runtime.id, RUNTIME);
    assert.equal(Number(rs.last_block.header.round), 2);
    assert.equal(Number(rs.last_normal_round), 2);
    assert.equal(Number(rs.genesis_block.header.round), 0);
  });

  it('answers round results and roots', async () => {
    const results = await nic.rootHashGetLastRoundResults({ runtime_id: RUNTIME, height: 0 });
    assert.equal(results.good_compute_entities?.length, 2);
    const rr = await nic.rootHashGetRoundRoots({ runtime_id: RUNTIME, height: 0, round: 2 });
    assert.deepEqual(rr, [want.state_root, want.io_root]);
    const past = await nic.rootHashGetPastRoundRoots({ runtime_id: RUNTIME, height: 0 });
    assert.deepEqual([...past.get(2)!], [want.state_root, want.io_root]);
  });

  it('answers consensus parameters and the genesis dump', async () => {
    const params = await nic.rootHashConsensusParameters(0);
    assert.equal(Number(params.max_runtime_messages), 32);
    const dump = await nic.rootHashStateToGenesis(0);
    const entry = [...dump.runtime_states!].find(
      ([id]) => oasis.misc.toHex(id) === oasis.misc.toHex(RUNTIME),
    );
    assert.equal(Number(entry![1].round), 2);
    assert.deepEqual(entry![1].state_root, want.state_root);
  });

  it('refuses an unknown runtime with roothash code 2', async () => {
    const unknown = new Uint8Array(32).fill(9);
    await assert.rejects(nic.rootHashGetLatestBlock({ runtime_id: unknown, height: 0 }), isRoothashNotFound);
    await assert.rejects(nic.rootHashGetRuntimeState({ runtime_id: unknown, height: 0 }), isRoothashNotFound);
  });

  it('refuses a malformed request and an uncommitted height', async () => {
    await assert.rejects(
      nic.rootHashGetLatestBlock({ runtime_id: new Uint8Array(3), height: 0 }),
      /InvalidArgument|malformed request/,
    );
    await assert.rejects(
      nic.rootHashGetLatestBlock({ runtime_id: RUNTIME, height: chain.height + 5 }),
      (e: { oasisModule?: string; oasisCode?: number }) => e.oasisModule === 'consensus' && e.oasisCode === 3,
    );
  });
});

describe('oasis-core.RootHash incoming message queue through the official client', () => {
  /** Three messages queued (tags 1, 2, 3), the first processed by round 2: ids 1 and 2 remain. */
  const chain = queueChain();
  queueFrom(chain, [1, 2, 3]);
  const head = new RoothashStateReader(chain.state).incomingMessages(RUNTIME, 1);
  finalizeWith(chain, processed(head));
  const registry = new ApiRegistry();
  registry.register(...roothashMethods(latestOnly(chain)));
  const web = new GrpcWebServer(registry);
  let nic: oasis.client.NodeInternal;

  before(async () => {
    nic = new oasis.client.NodeInternal(await web.listen(0));
  });
  after(() => web.close());

  it('answers the queue metadata', async () => {
    const meta = await nic.rootHashGetIncomingMessageQueueMeta({ runtime_id: RUNTIME, height: 0 });
    assert.equal(meta.size, 2);
    assert.equal(Number(meta.next_sequence_number), 3);
    const none = await nic.rootHashGetIncomingMessageQueueMeta({
      runtime_id: new Uint8Array(32).fill(9),
      height: 0,
    });
    assert.deepEqual({ ...none }, {}, 'a runtime without messages has an empty queue');
  });

  it('answers queued messages in order, from an offset and up to a limit', async () => {
    const all = await nic.rootHashGetIncomingMessageQueue({ runtime_id: RUNTIME, height: 0 });
    assert.deepEqual(
      all.map((m) => [Number(m.id), Number(m.tag)]),
      [
        [1, 2],
        [2, 3],
      ],
    );
    const [first] = all;
    assert.deepEqual(first!.caller, addr(2));
    assert.deepEqual(first!.fee, quantityToBytes(MIN_FEE));
    assert.deepEqual(first!.tokens, quantityToBytes(100n));
    assert.deepEqual(first!.data, DEPOSIT);
    const fromTwo = await nic.rootHashGetIncomingMessageQueue({ runtime_id: RUNTIME, height: 0, offset: 2 });
    assert.deepEqual(
      fromTwo.map((m) => Number(m.id)),
      [2],
    );
    const one = await nic.rootHashGetIncomingMessageQueue({ runtime_id: RUNTIME, height: 0, limit: 1 });
    assert.deepEqual(
      one.map((m) => Number(m.id)),
      [1],
    );
  });
});
