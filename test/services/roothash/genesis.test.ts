import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { parseJson, stringifyJson } from '../../../src/codec/typed.ts';
import { buildGenesis } from '../../../src/genesis/builder.ts';
import { runtimeCodec } from '../../../src/services/registry/api/runtime.ts';
import { roothashGenesisCodec } from '../../../src/services/roothash/api/genesis.ts';
import { verifyRuntimeParameters } from '../../../src/services/roothash/api/params.ts';
import { RoothashQueries } from '../../../src/services/roothash/api/queries.ts';
import { validateRoothashParameters } from '../../../src/services/roothash/genesis.ts';
import { computeRuntime, key } from '../registry/fixture.ts';
import {
  commitment,
  committeeNodes,
  latestHeader,
  nextScheduler,
  RUNTIME,
  roothashChain,
  roothashParams,
  roots,
  submit,
} from './fixture.ts';

const stateRoot = 'ab'.repeat(32);
const json = `{
  "params": {
    "gas_costs": {"compute_commit": 10000, "submit_msg": 1000},
    "max_runtime_messages": 128,
    "max_in_runtime_messages": 0,
    "max_evidence_age": 100,
    "max_past_roots_stored": 1200
  },
  "runtime_states": {"${toHex(RUNTIME)}": {"state_root": "${stateRoot}", "round": 7}}
}`;

describe('roothash genesis section', () => {
  it('reads oasis-core JSON and round-trips through CBOR', () => {
    const g = roothashGenesisCodec.fromJson(parseJson(json), 'roothash');
    assert.equal(g.params.max_runtime_messages, 128);
    assert.equal(g.params.gas_costs.get('compute_commit'), 10000n);
    assert.equal(g.params.max_past_roots_stored, 1200n);
    const cbor = encodeCanonical(roothashGenesisCodec.encode(g));
    assert.deepEqual(roothashGenesisCodec.decode(decodeCanonical(cbor), 'roothash'), g);
    assert.deepEqual(JSON.parse(stringifyJson(roothashGenesisCodec.toJson(g))), JSON.parse(json));
    assert.throws(() => roothashGenesisCodec.fromJson({ params: {}, extra: 1 }, 'roothash'), /unknown field/);
  });

  it('starts a runtime listed in runtime_states from that round and state root', () => {
    const g = roothashGenesisCodec.fromJson(parseJson(json), 'roothash');
    const c = roothashChain({ runtimeStates: g.runtime_states });
    const block = RoothashQueries.getGenesisBlock(c.state, RUNTIME) as {
      header: { round: bigint; state_root: Uint8Array };
    };
    assert.equal(block.header.round, 7n);
    assert.equal(toHex(block.header.state_root), stateRoot);
    const params = RoothashQueries.consensusParameters(c.state) as { max_past_roots_stored: bigint };
    assert.equal(params.max_past_roots_stored, 3n);
  });

  it('dumps each runtime at its latest block, and a chain started from the dump resumes there', () => {
    const c = roothashChain();
    c.advanceToEpoch(1n);
    const { workers } = committeeNodes(c);
    const scheduler = nextScheduler(c);
    submit(
      c,
      workers.map((w) => commitment(c, w, { scheduler, variant: 'dumped' })),
    );
    const dump = RoothashQueries.stateToGenesis(c.state);
    const g = roothashGenesisCodec.decode(decodeCanonical(encodeCanonical(dump)), 'roothash');
    const start = g.runtime_states.get([...g.runtime_states.keys()][0]!)!;
    assert.equal(start.round, 2n);
    assert.deepEqual(start.state_root, roots('dumped').state_root);
    assert.equal(g.params.max_past_roots_stored, 3n);
    const resumed = roothashChain({ runtimeStates: g.runtime_states });
    assert.equal(latestHeader(resumed).round, 2n);
    assert.deepEqual(latestHeader(resumed).state_root, roots('dumped').state_root);
  });

  it('decodes the roothash section of a genesis document the node builds', () => {
    const doc = buildGenesis({ chainId: 'roothash-test', time: 0, entities: [], nodes: [], accounts: [] });
    const g = roothashGenesisCodec.decode(
      decodeCanonical(encodeCanonical(roothashGenesisCodec.encode(doc.roothash))),
      'roothash',
    );
    assert.equal(g.params.max_runtime_messages, 128);
    assert.equal(g.params.max_past_roots_stored, 1200n);
    assert.equal(g.runtime_states.size, 0);
  });

  it('refuses more than 256 runtime messages per round', () => {
    assert.throws(() => validateRoothashParameters(roothashParams({ max_runtime_messages: 257 })), {
      module: 'roothash',
      code: 7,
    });
  });

  it('refuses runtime descriptors asking for more messages than the consensus parameters allow', () => {
    const rt = computeRuntime(1, 1);
    rt.executor.max_messages = 16;
    rt.txn_scheduler.max_in_messages = 8;
    verifyRuntimeParameters(rt, roothashParams({ max_runtime_messages: 16, max_in_runtime_messages: 8 }));
    assert.throws(() => verifyRuntimeParameters(rt, roothashParams({ max_in_runtime_messages: 7 })), {
      module: 'roothash',
      code: 13,
    });
    assert.throws(
      () =>
        verifyRuntimeParameters(rt, roothashParams({ max_runtime_messages: 15, max_in_runtime_messages: 8 })),
      { module: 'roothash', code: 7 },
    );
  });

  it('refuses such runtimes at genesis and when they register later', () => {
    assert.throws(
      () =>
        roothashChain({
          runtime: (rt) => {
            rt.executor.max_messages = 33;
          },
        }),
      { module: 'roothash', code: 7 },
    );
    const c = roothashChain();
    const rt = computeRuntime(2, 1, 2n);
    rt.executor.max_messages = 33;
    const refused = c.run(key(1), 'registry.RegisterRuntime', runtimeCodec.encode(rt));
    assert.deepEqual([refused.error?.module, refused.error?.code], ['roothash', 7]);
    rt.executor.max_messages = 32;
    const accepted = c.run(key(1), 'registry.RegisterRuntime', runtimeCodec.encode(rt));
    assert.equal(accepted.error, undefined, accepted.error?.message);
    assert.notEqual(c.registry.runtime(rt.id), undefined);
  });
});
