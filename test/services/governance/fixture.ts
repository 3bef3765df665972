/**
 * Governance test chain: the real beacon, staking, registry, scheduler and governance services (with the
 * staking, scheduler and governance parameter-change handlers) over memory state. Entities 1 (escrow
 * 1600) and 2 (escrow 3200) each run one validator; entity 3 (escrow 480) runs none; key 4 has only a
 * general balance. Epochs are 5 blocks; proposals close 2 epochs after submission.
 */
import type { TxResult } from '../../../src/consensus/api/application.ts';
import type { GovernanceGenesis } from '../../../src/services/governance/api/genesis.ts';
import { GovernanceMethods } from '../../../src/services/governance/api/methods.ts';
import {
  defaultGovernanceParameters,
  type GovernanceParameters,
} from '../../../src/services/governance/api/params.ts';
import { GovernanceService } from '../../../src/services/governance/service.ts';
import { GovernanceStateReader } from '../../../src/services/governance/state.ts';
import type { UpgradeHook } from '../../../src/services/mux/upgrade_hook.ts';
import { schedulerParameterChanges } from '../../../src/services/scheduler/parameter_changes.ts';
import { SchedulerService } from '../../../src/services/scheduler/service.ts';
import type { StakingGenesis } from '../../../src/services/staking/genesis.ts';
import { stakingParameterChanges } from '../../../src/services/staking/parameter_changes.ts';
import {
  beaconGenesis,
  key,
  nodeDescriptor,
  RegistryChain,
  registryGenesis,
  signedEntity,
  signedNode,
  stakedGenesis,
} from '../registry/fixture.ts';

export { addr, EPOCH_INTERVAL, key } from '../registry/fixture.ts';

/** Test governance parameters: deposit 100, 2-epoch voting, threshold 67, upgrades ≥ 10 epochs ahead. */
export function governanceParams(over: Partial<GovernanceParameters> = {}): GovernanceParameters {
  return {
    ...defaultGovernanceParameters(),
    voting_period: 2n,
    stake_threshold: 67n,
    upgrade_min_epoch_diff: 10n,
    upgrade_cancel_min_epoch_diff: 10n,
    ...over,
  };
}

/** A chain with two validator entities and governance. */
export class GovernanceChain extends RegistryChain {
  constructor(
    params = governanceParams(),
    genesis: {
      governance?: GovernanceGenesis;
      deposits?: bigint;
      baseEpoch?: bigint;
      /** Adjusts the staking genesis before the chain starts. */
      staking?: (g: StakingGenesis) => void;
      /** An upgrade manager's hook. */
      upgrades?: UpgradeHook;
    } = {},
  ) {
    const staking = stakedGenesis([
      [1, 10_000n, 1600n],
      [2, 10_000n, 3200n],
      [3, 10_000n, 480n],
      [4, 50n, 0n],
    ]);
    staking.governanceDeposits = genesis.deposits ?? 0n;
    staking.totalSupply += staking.governanceDeposits;
    genesis.staking?.(staking);
    super(
      staking,
      registryGenesis({
        entities: [signedEntity(1, [1]), signedEntity(2, [2]), signedEntity(3, [])],
        nodes: [
          signedNode(nodeDescriptor(1, 1, { expiration: 5n }), 1),
          signedNode(nodeDescriptor(2, 2, { expiration: 5n }), 2),
        ],
      }),
      {
        services: [
          new SchedulerService(),
          new GovernanceService([stakingParameterChanges, schedulerParameterChanges]),
        ],
        sections: {
          beacon: { ...beaconGenesis, base: genesis.baseEpoch ?? 0n },
          scheduler: {
            params: {
              min_validators: 1,
              max_validators: 10,
              max_validators_per_entity: 1,
              debug_bypass_stake: false,
              reward_factor_epoch_election_any: 0n,
              debug_allow_weak_alpha: false,
              voting_power_distribution: 0,
            },
          },
          governance: genesis.governance ?? { params, proposals: [], vote_entries: new Map() },
        },
        ...(genesis.upgrades !== undefined ? { upgrades: genesis.upgrades } : {}),
      },
    );
  }

  get governance(): GovernanceStateReader {
    return new GovernanceStateReader(this.state);
  }

  /** Submits a proposal from key `i` in its own block. */
  submit(i: number, content: unknown): TxResult {
    return this.run(key(i), GovernanceMethods.submitProposal, content);
  }

  /** Votes from key `i` in its own block. */
  vote(i: number, id: bigint, vote: number): TxResult {
    return this.run(key(i), GovernanceMethods.castVote, { id, vote });
  }
}
