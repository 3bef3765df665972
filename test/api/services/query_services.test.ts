import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { GrpcWebServer } from '../../../src/api/grpc_web.ts';
import { ApiRegistry } from '../../../src/api/method.ts';
import type { StateByHeight } from '../../../src/api/queries.ts';
import { beaconMethods } from '../../../src/api/services/beacon.ts';
import { stakingMethods } from '../../../src/api/services/staking.ts';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { buildGenesis } from '../../../src/genesis/builder.ts';
import { BeaconService } from '../../../src/services/beacon/service.ts';
import { newBlockInfo, ServiceContext } from '../../../src/services/mux/context.ts';
import { stakingGenesisCodec } from '../../../src/services/staking/api/genesis.ts';
import { loadStakingGenesis } from '../../../src/services/staking/genesis.ts';
import type { StateReader } from '../../../src/state/api.ts';
import { memoryState } from '../../../src/state/overlay.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

const entity = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(1));
const user = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(2));
const entityAddr = addressFromPublicKey(entity.publicKey);
const userAddr = addressFromPublicKey(user.publicKey);

/** Committed states by height, built by running genesis for real (staking + beacon). */
function genesisStates(): StateByHeight {
  const doc = buildGenesis({
    chainId: 'api test',
    time: 1_700_000_000,
    entities: [],
    nodes: [],
    accounts: [
      { address: entityAddr, general: 10n, escrow: 5000n },
      { address: userAddr, general: 777n },
    ],
    commonPool: 1000n,
    epochInterval: 10,
  });
  const state = memoryState();
  loadStakingGenesis(state, stakingGenesisCodec.fromWire(doc.staking, 'staking'), 0n);
  const beacon = new BeaconService();
  beacon.initChain(
    new ServiceContext({ mode: 'init', block: newBlockInfo(1, doc.genesis_time), state, epochs: beacon }),
    { beacon: doc.beacon },
  );
  const heights = new Map<number, StateReader>([[1, state]]);
  return {
    latestHeight: () => 1,
    stateAt: (h) => {
      const s = heights.get(h);
      if (!s) throw new Error('not kept');
      return s;
    },
  };
}

describe('query services through the official client', () => {
  const registry = new ApiRegistry();
  const states = genesisStates();
  registry.register(...stakingMethods(states), ...beaconMethods(states));
  const web = new GrpcWebServer(registry);
  let nic: oasis.client.NodeInternal;

  before(async () => {
    nic = new oasis.client.NodeInternal(await web.listen(0));
  });
  after(() => web.close());

  it('answers staking account, supply and token queries', async () => {
    const acct = await nic.stakingAccount({ height: oasis.consensus.HEIGHT_LATEST, owner: userAddr });
    assert.equal(oasis.quantity.toBigInt(acct.general!.balance!), 777n);
    assert.equal(acct.escrow, undefined);
    const ent = await nic.stakingAccount({ height: 1, owner: entityAddr });
    assert.equal(oasis.quantity.toBigInt(ent.escrow!.active!.balance!), 5000n);
    assert.equal(oasis.quantity.toBigInt(await nic.stakingTotalSupply(0)), 10n + 5000n + 777n + 1000n);
    assert.equal(oasis.quantity.toBigInt(await nic.stakingCommonPool(0)), 1000n);
    assert.equal(await nic.stakingTokenSymbol(0), 'TEST');
    assert.equal(await nic.stakingTokenValueExponent(0), 9);
    assert.equal(oasis.quantity.toBigInt(await nic.stakingThreshold({ height: 0, kind: 1 })), 100n);
  });

  it('answers delegation queries as address-keyed maps', async () => {
    const to = await nic.stakingDelegationsTo({ height: 0, owner: entityAddr });
    assert.equal(to.size, 1);
    const [delegator, d] = [...to][0]!;
    assert.deepEqual(delegator, entityAddr);
    assert.equal(oasis.quantity.toBigInt(d.shares), 5000n);
    const none = await nic.stakingDebondingDelegationsFor({ height: 0, owner: userAddr });
    assert.equal(none.size, 0);
  });

  it('answers beacon queries', async () => {
    assert.equal(Number(await nic.beaconGetEpoch(0)), 0);
    const future = await nic.beaconGetFutureEpoch(0);
    assert.equal(Number(future.epoch), 1);
    assert.equal(Number(future.height), 11);
  });

  it('refuses heights that are not committed with consensus code 3', async () => {
    await assert.rejects(
      nic.stakingTotalSupply(5),
      (e: { oasisModule?: string; oasisCode?: number }) => e.oasisModule === 'consensus' && e.oasisCode === 3,
    );
  });
});
