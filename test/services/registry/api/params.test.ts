import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../../../src/codec/cbor.ts';
import { parseJson, stringifyJson } from '../../../../src/codec/typed.ts';
import {
  DEFAULT_REGISTRY_GAS_COSTS,
  registryGasCosts,
  registryParametersCodec,
} from '../../../../src/services/registry/api/params.ts';

/** Registry parameters shaped like a mainnet genesis file's. */
const PARAMS_JSON = `{
  "gas_costs": {
    "deregister_entity": 1000, "prove_freshness": 1000, "register_entity": 1000, "register_node": 1000,
    "register_runtime": 1000, "runtime_epoch_maintenance": 1000, "unfreeze_node": 1000
  },
  "max_node_expiration": 2,
  "enable_runtime_governance_models": { "entity": true, "runtime": true },
  "tee_features": { "sgx": { "pcs": true, "signed_attestations": true, "max_attestation_age": 1200 }, "freshness_proofs": true },
  "max_runtime_deployments": 5
}`;

describe('registry parameters codec', () => {
  it('reads the genesis JSON and writes governance models keyed by number in CBOR', () => {
    const p = registryParametersCodec.fromJson(parseJson(PARAMS_JSON), 'params');
    assert.equal(p.max_node_expiration, 2n);
    assert.deepEqual(registryGasCosts(p), DEFAULT_REGISTRY_GAS_COSTS);
    assert.equal(p.tee_features?.sgx.max_attestation_age, 1200n);
    const cbor = decodeCanonical(encodeCanonical(registryParametersCodec.encode(p))) as Record<
      string,
      unknown
    >;
    assert.deepEqual(
      cbor.enable_runtime_governance_models,
      new Map([
        [1, true],
        [2, true],
      ]),
    );
    assert.equal('debug_allow_test_runtimes' in cbor, false);
    assert.deepEqual(registryParametersCodec.decode(cbor as never, 'params'), p);
    assert.deepEqual(parseJson(stringifyJson(registryParametersCodec.toJson(p))), parseJson(PARAMS_JSON));
  });

  it('rejects unknown fields and governance model names', () => {
    const json = parseJson(PARAMS_JSON) as Record<string, unknown>;
    assert.throws(() => registryParametersCodec.fromJson({ ...json, nope: 1 }, 'params'), /params\.nope/);
    assert.throws(
      () =>
        registryParametersCodec.fromJson(
          { ...json, enable_runtime_governance_models: { chaos: true } },
          'params',
        ),
      /enable_runtime_governance_models/,
    );
  });
});
