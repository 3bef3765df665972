import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { beaconGenesisCodec } from '../../../src/services/beacon/api/genesis.ts';
import { BACKEND_INSECURE } from '../../../src/services/beacon/api/params.ts';
import { checkBeaconInvariants } from '../../../src/services/beacon/sanity.ts';
import { BeaconService } from '../../../src/services/beacon/service.ts';
import {
  currentEpochState,
  futureEpochState,
  setCurrentEpochState,
  setFutureEpochState,
  setVrfState,
} from '../../../src/services/beacon/state.ts';
import { newBlockInfo, ServiceContext } from '../../../src/services/mux/context.ts';
import { memoryState } from '../../../src/state/overlay.ts';

/** An insecure-backend beacon with 3-block epochs, run for `blocks` blocks. */
function run(blocks: number) {
  const beacon = new BeaconService();
  const state = memoryState();
  const genesis = beaconGenesisCodec.decode(
    decodeCanonical(
      encodeCanonical({
        base: 2n,
        params: { backend: BACKEND_INSECURE, insecure_parameters: { interval: 3n } },
      }),
    ),
    'beacon',
  );
  const ctx = (mode: 'init' | 'begin', height: number) =>
    new ServiceContext({ mode, block: newBlockInfo(height, 1_700_000_000 + height), state, epochs: beacon });
  beacon.initChain(ctx('init', 1), { beacon: genesis });
  checkBeaconInvariants(state);
  for (let h = 1; h <= blocks; h++) {
    beacon.beginBlock(ctx('begin', h));
    beacon.sanityCheck(state);
  }
  return state;
}

describe('beacon invariants', () => {
  it('hold at genesis and across epoch transitions', () => {
    const state = run(10);
    assert.equal(currentEpochState(state)?.epoch, 5n);
  });

  it('catch an epoch whose start height does not follow from the base and the interval', () => {
    const state = run(4);
    const current = currentEpochState(state)!;
    setCurrentEpochState(state, { ...current, height: current.height + 1 });
    assert.throws(
      () => checkBeaconInvariants(state),
      /beacon: sanity check failed: epoch 3 began at height 5/,
    );
  });

  it('catch a future epoch that is not the next one, one interval later', () => {
    const state = run(4);
    const future = futureEpochState(state)!;
    setFutureEpochState(state, { ...future, epoch: future.epoch + 1n });
    assert.throws(() => checkBeaconInvariants(state), /future epoch 5 is not 4/);
    setFutureEpochState(state, { ...future, height: future.height + 2 });
    assert.throws(() => checkBeaconInvariants(state), /future epoch height 9 is not 7/);
  });

  it('catch VRF state under the insecure backend', () => {
    const state = run(1);
    setVrfState(state, {
      epoch: 2n,
      alpha: new Uint8Array(32),
      pi: new Map(),
      alphaIsHighQuality: false,
      submitAfter: 0,
    });
    assert.throws(() => checkBeaconInvariants(state), /VRF state under a non-VRF backend/);
  });
});
