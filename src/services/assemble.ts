/**
 * The consensus state machine a node runs: every service plugged into one mux (consensus parameters,
 * beacon, staking with the registry's hooks, registry, scheduler, roothash, governance with every module's
 * parameter-change handler). The genesis layer hands each
 * service its decoded section (`src/genesis/sections.ts`).
 */

import type { AsyncVerifier } from '../crypto/verify_pool.ts';
import { BeaconService } from './beacon/service.ts';
import { ConsensusParametersService } from './consensus/service.ts';
import { pipelineParameters } from './consensus/state.ts';
import { GovernanceService } from './governance/service.ts';
import { ServiceMux } from './mux/mux.ts';
import type { UpgradeHook } from './mux/upgrade_hook.ts';
import { registryHooks } from './registry/hooks.ts';
import { registryParameterChanges } from './registry/parameter_changes.ts';
import { RegistryService } from './registry/service.ts';
import { roothashParameterChanges } from './roothash/parameter_changes.ts';
import { RoothashService } from './roothash/service.ts';
import { schedulerParameterChanges } from './scheduler/parameter_changes.ts';
import { SchedulerService } from './scheduler/service.ts';
import { stakingAuthHandler } from './staking/auth.ts';
import { stakingParameterChanges } from './staking/parameter_changes.ts';
import { StakingService } from './staking/service.ts';

/** Options of the assembled state machine. */
export interface ServiceOptions {
  chainContext: string;
  /** Run every service's invariant checks after each block (test networks). */
  sanityChecks?: boolean;
  /** Local mempool filter: lowest gas price accepted from others. */
  localMinGasPrice?: bigint;
  /** This node's transaction signer (exempt from the local filter). */
  ownTxSigner?: Uint8Array;
  /** Verifies transaction signatures off the event loop (the node's worker pool). */
  verifier?: AsyncVerifier;
  /** The node's upgrade manager. */
  upgrades?: UpgradeHook;
}

/** The services and their mux. */
export interface AssembledServices {
  mux: ServiceMux;
  beacon: BeaconService;
  staking: StakingService;
}

/** Builds the mux with every consensus service. */
export function assembleServices(o: ServiceOptions): AssembledServices {
  const beacon = new BeaconService();
  const staking = new StakingService(registryHooks);
  const governance = new GovernanceService([
    stakingParameterChanges,
    registryParameterChanges,
    schedulerParameterChanges,
    roothashParameterChanges,
  ]);
  const mux = new ServiceMux({
    services: [
      new ConsensusParametersService(),
      beacon,
      staking,
      new RegistryService(),
      new SchedulerService(),
      new RoothashService(o.chainContext, (ctx, content) => governance.submitProposal(ctx, content)),
      governance,
    ],
    authHandler: stakingAuthHandler,
    epochs: beacon,
    chainContext: o.chainContext,
    parameters: pipelineParameters,
    sanityChecks: o.sanityChecks ?? false,
    ...(o.localMinGasPrice !== undefined ? { localMinGasPrice: o.localMinGasPrice } : {}),
    ...(o.ownTxSigner !== undefined ? { ownTxSigner: o.ownTxSigner } : {}),
    ...(o.verifier !== undefined ? { verifier: o.verifier } : {}),
    ...(o.upgrades !== undefined ? { upgrades: o.upgrades } : {}),
  });
  return { mux, beacon, staking };
}
