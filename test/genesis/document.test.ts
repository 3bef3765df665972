import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { parseJson, stringifyJson } from '../../src/codec/typed.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { buildGenesis } from '../../src/genesis/builder.ts';
import {
  chainContextOf,
  decodeGenesis,
  encodeGenesis,
  GenesisError,
  genesisFromJson,
  genesisToJson,
} from '../../src/genesis/document.ts';
import { validateConsensusParameters } from '../../src/services/consensus/api/params.ts';
import { pipelineParameters, setConsensusParameters } from '../../src/services/consensus/state.ts';
import { openSignedEntity, signEntity } from '../../src/services/registry/api/entity.ts';
import { stakingGenesisCodec } from '../../src/services/staking/api/genesis.ts';
import { validateStakingGenesis } from '../../src/services/staking/genesis.ts';
import { memoryState } from '../../src/state/overlay.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests mutate arbitrary fields of the parsed JSON file
type Json = Record<string, any>;

const entityKey = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(7));
const user = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(8));

function sample() {
  return buildGenesis({
    chainId: 'oasis-ts test',
    time: 1_700_000_000,
    entities: [signEntity(entityKey, { v: 2, id: entityKey.publicKey })],
    nodes: [],
    accounts: [
      { address: addressFromPublicKey(entityKey.publicKey), general: 1000n, escrow: 10n ** 12n },
      { address: addressFromPublicKey(user.publicKey), general: 5n * 10n ** 18n },
    ],
    commonPool: 10n ** 15n,
  });
}

describe('genesis document', () => {
  it('round-trips through JSON and CBOR with a stable chain context', () => {
    const doc = sample();
    const json = genesisToJson(doc);
    const back = genesisFromJson(json);
    assert.deepEqual(back, doc);
    assert.deepEqual(decodeGenesis(encodeGenesis(doc)), doc);
    assert.match(chainContextOf(doc), /^[0-9a-f]{64}$/);
    assert.equal(chainContextOf(back), chainContextOf(doc));
    assert.match(json, /"genesis_time": "2023-11-14T22:13:20Z"/);
    assert.match(json, /"node-validator": "100"/);
    assert.match(json, /"consensus-equivocation": \{/);
  });

  it('hashes to the chain context the official client computes from the served CBOR', () => {
    const doc = sample();
    const served = oasis.misc.fromCBOR(encodeGenesis(doc)) as oasis.types.GenesisDocument;
    assert.equal(oasis.genesis.chainContext(served), chainContextOf(doc));
  });

  it('changes the chain context when any field changes', () => {
    const a = sample();
    const b = sample();
    b.staking.common_pool += 1n;
    assert.notEqual(chainContextOf(a), chainContextOf(b));
  });

  it('hands each service a section its own decoder accepts', () => {
    const doc = sample();
    const staking = stakingGenesisCodec.fromWire(doc.staking, 'staking');
    assert.equal(staking.totalSupply, 10n ** 15n + 1000n + 10n ** 12n + 5n * 10n ** 18n);
    validateStakingGenesis(staking, 0n);
    const beacon = doc.beacon;
    assert.equal(beacon.params.vrf_parameters?.interval, 20n);
    const entity = openSignedEntity(doc.registry.entities[0]!);
    assert.deepEqual(entity.id, entityKey.publicKey);
    validateConsensusParameters(doc.consensus.params);
    const state = memoryState();
    setConsensusParameters(state, doc.consensus.params);
    assert.deepEqual(pipelineParameters(state), {
      maxTxSize: 131072,
      maxBlockGas: 0n,
      minGasPrice: 0n,
      gasCosts: { tx_byte: 1n },
    });
    assert.ok(decodeCanonical(encodeGenesis(doc)));
  });

  it('names the field of a broken genesis file', () => {
    const json = parseJson(genesisToJson(sample())) as Json;
    const broken = (mutate: (j: Json) => void) => {
      const copy = structuredClone(json);
      mutate(copy);
      return () => genesisFromJson(stringifyJson(copy), 'genesis.json');
    };
    assert.throws(
      broken((j) => (j.staking.total_supply = 'lots')),
      /genesis\.json: staking\.total_supply: expected a decimal amount/,
    );
    assert.throws(
      broken((j) => (j.staking.params.thresholds.bogus = '1')),
      /staking\.params\.thresholds\{bogus\}: expected one of entity/,
    );
    assert.throws(
      broken((j) => delete j.chain_id),
      /chain_id: missing required field/,
    );
    assert.throws(
      broken((j) => (j.height = 0)),
      /height: initial height must be at least 1/,
    );
    assert.throws(
      broken((j) => (j.registry.runtimes = [1])),
      /registry\.runtimes\[0\]: expected an object/,
    );
    assert.throws(
      broken((j) => (j.consensus.params.extra = 1)),
      /consensus\.params\.extra: unknown field/,
    );
    assert.throws(
      () => genesisFromJson('{', 'g.json'),
      (e) => e instanceof GenesisError && /g\.json: not valid JSON/.test(e.message),
    );
  });
});
