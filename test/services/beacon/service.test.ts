import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { beaconGenesisCodec } from '../../../src/services/beacon/api/genesis.ts';
import { BACKEND_INSECURE } from '../../../src/services/beacon/api/params.ts';
import { getBeacon, getEpochBlock, getFutureEpoch } from '../../../src/services/beacon/api/queries.ts';
import { BeaconService } from '../../../src/services/beacon/service.ts';
import { newBlockInfo, ServiceContext } from '../../../src/services/mux/context.ts';
import { memoryState } from '../../../src/state/overlay.ts';

function setup(interval: bigint, base = 5n, initialHeight = 1) {
  const beacon = new BeaconService();
  const state = memoryState();
  const genesis = beaconGenesisCodec.decode(
    decodeCanonical(
      encodeCanonical({ base, params: { backend: BACKEND_INSECURE, insecure_parameters: { interval } } }),
    ),
    'beacon',
  );
  const ctx = (mode: 'init' | 'begin', height: number) =>
    new ServiceContext({
      mode,
      block: newBlockInfo(height, 1_700_000_000 + height, new Uint8Array(32).fill(height % 256)),
      state,
      epochs: beacon,
    });
  beacon.initChain(ctx('init', initialHeight), { beacon: genesis });
  return { beacon, state, ctx };
}

describe('beacon service', () => {
  it('starts at the base epoch and changes epoch every interval blocks', () => {
    const { beacon, state, ctx } = setup(3n);
    const epochs: bigint[] = [];
    const changes: number[] = [];
    for (let h = 1; h <= 10; h++) {
      const c = ctx('begin', h);
      beacon.beginBlock(c);
      epochs.push(beacon.currentEpoch(state, h));
      if (beacon.epochChanged(state, h)) changes.push(h);
    }
    assert.deepEqual(epochs, [5n, 5n, 5n, 6n, 6n, 6n, 7n, 7n, 7n, 8n]);
    assert.deepEqual(changes, [4, 7, 10]);
    assert.deepEqual(getFutureEpoch(state), { epoch: 9n, height: 13 });
    assert.equal(getEpochBlock(state, 5n), 1);
    assert.equal(getEpochBlock(state, 7n), 7);
    assert.throws(() => getEpochBlock(state, 9n));
  });

  it('derives a fresh beacon per epoch, identically on every node', () => {
    const a = setup(2n);
    const b = setup(2n);
    const seen = new Set<string>();
    for (let h = 1; h <= 8; h++) {
      a.beacon.beginBlock(a.ctx('begin', h));
      b.beacon.beginBlock(b.ctx('begin', h));
      assert.equal(toHex(getBeacon(a.state)), toHex(getBeacon(b.state)));
      seen.add(toHex(getBeacon(a.state)));
    }
    assert.equal(seen.size, 4); // the base epoch (genesis) and the epochs starting at heights 3, 5 and 7
  });

  it('emits an epoch event at each transition', () => {
    const { beacon, ctx } = setup(2n, 0n);
    const c = ctx('begin', 3);
    beacon.beginBlock(c);
    assert.deepEqual(
      c.events.map((e) => [e.module, e.kind, e.value]),
      [['beacon', 'epoch', 1n]],
    );
  });

  it('rejects genesis with an unknown backend or a zero interval', () => {
    const bad = (params: unknown) => () =>
      beaconGenesisCodec.decode(decodeCanonical(encodeCanonical({ base: 0, params })), 'beacon');
    assert.throws(bad({ backend: 'pvss' }), /unsupported beacon backend/);
    assert.throws(bad({ backend: 'vrf' }), /vrf_parameters\.interval/);
    assert.throws(bad({ backend: 'vrf', vrf_parameters: { interval: 5, proof_delay: 5 } }), /proof_delay/);
    assert.throws(bad({ backend: BACKEND_INSECURE, insecure_parameters: { interval: 0 } }), /interval/);
    assert.throws(
      bad({ backend: BACKEND_INSECURE, insecure_parameters: { interval: 3 }, extra: 1 }),
      /unknown field/,
    );
  });
});
