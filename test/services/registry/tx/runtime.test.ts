import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../../src/codec/bytes.ts';
import { RegistryMethods } from '../../../../src/services/registry/api/methods.ts';
import { GovernanceModel, runtimeCodec, TeeHardware } from '../../../../src/services/registry/api/runtime.ts';
import {
  addr,
  computeRuntime,
  key,
  RegistryChain,
  registryGenesis,
  registryParams,
  runtimeBody,
  signedEntity,
  stakedGenesis,
} from '../fixture.ts';
import { expectFailure, expectOk } from '../helpers.ts';

const { registerRuntime } = RegistryMethods;

/** Entity 1 has stake for a runtime (100 entity + 100 runtime); entity 2 only for itself. */
function chain(params = registryParams()): RegistryChain {
  return new RegistryChain(
    stakedGenesis([
      [1, 1000n, 1000n],
      [2, 1000n, 100n],
      [3, 1000n, 0n],
    ]),
    registryGenesis({ params, entities: [signedEntity(1), signedEntity(2)] }),
  );
}

describe('registry.RegisterRuntime', () => {
  it('registers a runtime deploying in a future epoch, with its stake claim and event', () => {
    const c = chain();
    const rt = computeRuntime(1, 1, 2n);
    const res = c.run(key(1), registerRuntime, runtimeBody(rt));
    expectOk(res);
    assert.equal(res.gasUsed, 1000n);
    const stored = c.registry.runtime(rt.id)!;
    assert.deepEqual(runtimeCodec.encode(stored), runtimeCodec.encode(rt));
    assert.equal(c.registry.hasEntityRuntimes(key(1).publicKey), true);
    assert.deepEqual(
      c.staking.account(addr(1)).escrow.claims.get(`registry.RegisterRuntime.${toHex(rt.id)}`),
      [{ global: 5 }],
    );
    const ev = res.events.find((e) => e.kind === 'runtime_started')!.value as { runtime: never };
    assert.deepEqual(runtimeCodec.decode(ev.runtime, 'rt').id, rt.id);
    // The owner may update parameters that leave the deployment in effect alone.
    expectOk(
      c.run(key(1), registerRuntime, runtimeBody({ ...rt, executor: { ...rt.executor, group_size: 3 } })),
    );
    assert.equal(c.registry.runtime(rt.id)!.executor.group_size, 3);
  });

  it('fails: immediate deployment (18), unknown owner (4), wrong signer (12), stake (staking/4)', () => {
    const c = chain();
    expectFailure(c, key(1), registerRuntime, runtimeBody(computeRuntime(1, 1, 0n)), 'registry', 18);
    expectFailure(c, key(3), registerRuntime, runtimeBody(computeRuntime(1, 3, 2n)), 'registry', 4);
    expectFailure(c, key(2), registerRuntime, runtimeBody(computeRuntime(1, 1, 2n)), 'registry', 12);
    expectFailure(c, key(2), registerRuntime, runtimeBody(computeRuntime(1, 2, 2n)), 'staking', 4);
  });

  it('fails: bad descriptors (1), governance model not enabled (16), forbidden updates (18)', () => {
    const c = chain();
    const noGroup = computeRuntime(1, 1, 2n);
    noGroup.executor.group_size = 0;
    expectFailure(c, key(1), registerRuntime, runtimeBody(noGroup), 'registry', 1);
    const slowFlush = computeRuntime(1, 1, 2n);
    slowFlush.txn_scheduler.batch_flush_timeout = 10n;
    expectFailure(c, key(1), registerRuntime, runtimeBody(slowFlush), 'registry', 1);
    const testId = computeRuntime(1, 1, 2n);
    testId.id = testId.id.slice();
    testId.id[0] = 0x80;
    expectFailure(c, key(1), registerRuntime, runtimeBody(testId), 'registry', 1);
    expectFailure(
      c,
      key(1),
      registerRuntime,
      { ...(runtimeBody(computeRuntime(1, 1, 2n)) as object), v: 2 },
      'registry',
      1,
    );
    const runtimeGov = { ...computeRuntime(1, 1, 2n), governance_model: GovernanceModel.runtime };
    expectFailure(c, key(1), registerRuntime, runtimeBody(runtimeGov), 'registry', 16);
    c.closeOpenBlock();
    expectOk(c.run(key(1), registerRuntime, runtimeBody(computeRuntime(1, 1, 2n))));
    const newGenesis = computeRuntime(1, 1, 2n);
    newGenesis.genesis = { state_root: new Uint8Array(32).fill(1), round: 0n };
    expectFailure(c, key(1), registerRuntime, runtimeBody(newGenesis), 'registry', 18);
    const consensusGoverned = { ...computeRuntime(1, 1, 2n), governance_model: GovernanceModel.consensus };
    expectFailure(c, key(1), registerRuntime, runtimeBody(consensusGoverned), 'registry', 16);
    c.closeOpenBlock();
    // Once deployment 1.0.0 is in effect (epoch 2) it may not be rewritten; a second deployment must
    // start strictly later.
    c.advanceToEpoch(2n);
    const rewritten = computeRuntime(1, 1, 2n);
    rewritten.deployments[0]!.bundle_checksum = new Uint8Array(32);
    expectFailure(c, key(1), registerRuntime, runtimeBody(rewritten), 'registry', 18);
    const startsNow = computeRuntime(1, 1, 2n);
    startsNow.deployments.push({
      ...startsNow.deployments[0]!,
      version: { major: 2, minor: 0, patch: 0 },
      valid_from: 2n,
    });
    expectFailure(c, key(1), registerRuntime, runtimeBody(startsNow), 'registry', 1);
    const next = computeRuntime(1, 1, 2n);
    next.deployments.push({
      ...next.deployments[0]!,
      version: { major: 2, minor: 0, patch: 0 },
      valid_from: 4n,
    });
    expectOk(c.run(key(1), registerRuntime, runtimeBody(next)));
  });

  it('fails: SGX runtime without enclave constraints (5)', () => {
    const c = chain();
    const sgx = { ...computeRuntime(1, 1, 2n), tee_hardware: TeeHardware['intel-sgx'] };
    expectFailure(c, key(1), registerRuntime, runtimeBody(sgx), 'registry', 5);
  });

  it('is forbidden (16) when runtime registration is disabled', () => {
    const c = chain(registryParams({ disable_runtime_registration: true }));
    expectFailure(c, key(1), registerRuntime, runtimeBody(computeRuntime(1, 1, 2n)), 'registry', 16);
  });
});
