import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSchedulerInvariants } from '../../../src/services/scheduler/sanity.ts';
import { SchedulerService } from '../../../src/services/scheduler/service.ts';
import { SchedulerState } from '../../../src/services/scheduler/state.ts';
import {
  nodeDescriptor,
  RegistryChain,
  registryGenesis,
  signedEntity,
  signedNode,
  stakedGenesis,
} from '../registry/fixture.ts';

function chain(): RegistryChain {
  return new RegistryChain(
    stakedGenesis([[1, 1000n, 1000n]]),
    registryGenesis({ entities: [signedEntity(1, [1])], nodes: [signedNode(nodeDescriptor(1, 1), 1)] }),
    {
      services: [new SchedulerService()],
      sections: {
        scheduler: {
          params: {
            min_validators: 1,
            max_validators: 1,
            max_validators_per_entity: 1,
            debug_bypass_stake: false,
            reward_factor_epoch_election_any: 0n,
            debug_allow_weak_alpha: false,
            voting_power_distribution: 0,
          },
        },
      },
    },
  );
}

describe('scheduler invariants', () => {
  it('hold after genesis, and catch a leftover pending set or an empty set', () => {
    const c = chain();
    checkSchedulerInvariants(c.state);
    const st = new SchedulerState(c.state);
    const current = st.currentValidators();
    st.setPendingValidators(current);
    assert.throws(() => checkSchedulerInvariants(c.state), /pending validator set not applied/);
    st.setPendingValidators(undefined);
    st.setCurrentValidators([]);
    assert.throws(() => checkSchedulerInvariants(c.state), /empty validator set/);
  });
});
