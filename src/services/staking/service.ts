/**
 * The staking service as the mux runs it (`100_staking`): dispatches the seven staking methods, and per
 * block disburses fees, pays proposing and signing rewards, tracks signing, slashes misbehaviour and
 * releases matured debonding stake at epoch changes — in oasis-core's order (`apps/staking/staking.go`).
 */

import type { CborValue } from '../../codec/cbor.ts';
import type { Address } from '../../crypto/address.ts';
import type { StateReader } from '../../state/api.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { ConsensusService, GenesisSections, SanityBlockView } from '../mux/service.ts';
import { STAKING_MODULE, StakingErrors } from './api/errors.ts';
import { BodyDecoders, decodeBody, StakingMethods } from './api/methods.ts';
import { BLOCK_FEES_KEY, blockFees } from './auth.ts';
import { processMatureDebonding } from './debonding.ts';
import { disburseFeesP, disburseFeesVQ } from './fees.ts';
import type { StakingGenesis } from './genesis.ts';
import { loadStakingGenesis } from './genesis.ts';
import { NO_REGISTRY, type RegistryHooks } from './hooks.ts';
import { addRewardSingleAttenuated } from './rewards.ts';
import { checkStakingInvariants } from './sanity.ts';
import { rewardEpochSigning, updateEpochSigning } from './signing.ts';
import { onConsensusMisbehavior } from './slashing.ts';
import { StakingState, StakingStateReader } from './state.ts';
import { allow, withdraw } from './tx/allowance.ts';
import { amendCommissionSchedule } from './tx/amend_commission.ts';
import { addEscrow, reclaimEscrow } from './tx/escrow.ts';
import { burn, transfer } from './tx/transfer.ts';

/** oasis-core's app name (ordering prefix 100) and CheckTx priority. */
export const STAKING_APP_NAME = '100_staking';
export const STAKING_APP_PRIORITY = 1000n;

const PROPOSER_KEY = 'staking.proposer_entity';

type Handler = (ctx: ServiceContext, body: CborValue | undefined) => void;

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [StakingMethods.transfer, (c, b) => transfer(c, decodeBody(BodyDecoders.transfer, b))],
  [StakingMethods.burn, (c, b) => burn(c, decodeBody(BodyDecoders.burn, b))],
  [StakingMethods.addEscrow, (c, b) => void addEscrow(c, decodeBody(BodyDecoders.escrow, b))],
  [StakingMethods.reclaimEscrow, (c, b) => reclaimEscrow(c, decodeBody(BodyDecoders.reclaimEscrow, b))],
  [
    StakingMethods.amendCommissionSchedule,
    (c, b) => amendCommissionSchedule(c, decodeBody(BodyDecoders.amendCommissionSchedule, b)),
  ],
  [StakingMethods.allow, (c, b) => allow(c, decodeBody(BodyDecoders.allow, b))],
  [StakingMethods.withdraw, (c, b) => withdraw(c, decodeBody(BodyDecoders.withdraw, b))],
]);

/** The staking consensus service. */
export class StakingService implements ConsensusService {
  readonly name = STAKING_APP_NAME;
  readonly module = STAKING_MODULE;
  readonly priority = STAKING_APP_PRIORITY;
  readonly methods: readonly string[] = [...HANDLERS.keys()];
  readonly #registry: RegistryHooks;

  constructor(registry: RegistryHooks = NO_REGISTRY) {
    this.#registry = registry;
  }

  /** Loads `genesis.staking` (a decoded `StakingGenesis`). */
  initChain(ctx: ServiceContext, genesis: GenesisSections): undefined {
    const g = genesis.staking as StakingGenesis | undefined;
    if (g === undefined) throw new Error('staking: genesis has no staking section');
    loadStakingGenesis(ctx.state, g, ctx.currentEpoch());
    return undefined;
  }

  executeTx(ctx: ServiceContext, method: string, body: CborValue | undefined): void {
    const handler = HANDLERS.get(method);
    if (handler === undefined) throw StakingErrors.invalidArgument();
    handler(ctx, body);
  }

  beginBlock(ctx: ServiceContext): void {
    const st = new StakingState(ctx.state);
    const registry = this.#registry;
    const proposer =
      ctx.block.proposer.length > 0
        ? registry.consensusKeyToEntity(ctx.state, ctx.block.proposer)
        : undefined;
    const numEligible = ctx.block.lastCommit.length;
    const voting: Address[] = [];
    for (const v of ctx.block.lastCommit) {
      if (!v.signed) continue;
      const entity = registry.consensusKeyToEntity(ctx.state, v.publicKey);
      if (entity !== undefined) voting.push(entity);
    }
    disburseFeesVQ(ctx, st, proposer, numEligible, voting);
    ctx.block.values.set(PROPOSER_KEY, proposer);
    if (proposer !== undefined) {
      const params = st.parameters();
      addRewardSingleAttenuated(
        ctx,
        st,
        ctx.currentEpoch(),
        params.rewardFactorBlockProposed,
        voting.length,
        numEligible,
        proposer,
      );
    }
    updateEpochSigning(st, voting);
    for (const m of ctx.block.misbehavior) {
      onConsensusMisbehavior(ctx, st, registry, m);
    }
  }

  endBlock(ctx: ServiceContext): undefined {
    const st = new StakingState(ctx.state);
    const proposer = ctx.block.values.get(PROPOSER_KEY) as Address | undefined;
    disburseFeesP(ctx, st, proposer, blockFees(ctx.block.values));
    ctx.block.values.set(BLOCK_FEES_KEY, 0n);
    if (ctx.epochChanged()) {
      const epoch = ctx.currentEpoch();
      processMatureDebonding(ctx, st, epoch);
      rewardEpochSigning(ctx, st, epoch);
    }
    return undefined;
  }

  sanityCheck(state: StateReader, block: SanityBlockView): void {
    checkStakingInvariants(new StakingStateReader(state), blockFees(block.values));
  }
}
