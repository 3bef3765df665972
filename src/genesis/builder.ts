/**
 * Builds a genesis document from entity and node descriptors and a list of funded accounts, with
 * parameters that suit a local network (short epochs, small stake thresholds, rewards and slashing on).
 * `oasis-ts genesis init` and `localnet up` both build through here.
 */

import { U64_MAX } from '../codec/schema.ts';
import type { MultiSigned, Signed } from '../crypto/signature.ts';
import { CONSENSUS_BACKEND } from '../services/consensus/api/genesis.ts';
import { defaultGovernanceParameters } from '../services/governance/api/params.ts';
import { NodeRoles, openMultiSignedNode } from '../services/registry/api/node.ts';
import { GovernanceModel, type Runtime } from '../services/registry/api/runtime.ts';
import type { RoothashParameters } from '../services/roothash/api/params.ts';
import { SLASH_REASON_NAMES, THRESHOLD_KIND_NAMES } from '../services/staking/api/names.ts';
import type { GenesisDocument } from './document.ts';

/** A funded account: a general balance, and optionally stake escrowed to itself. */
export interface GenesisAccount {
  address: Uint8Array;
  general: bigint;
  /** Self-delegated escrow (an entity's stake). */
  escrow?: bigint;
}

/** What to build a genesis from. Everything but `chainId`, `time` and the lists has a default. */
export interface GenesisBuildOptions {
  chainId: string;
  /** Genesis time, unix seconds. */
  time: number;
  initialHeight?: number;
  entities: Signed[];
  nodes: MultiSigned[];
  accounts: GenesisAccount[];
  /** Common pool (pays rewards). */
  commonPool?: bigint;
  tokenSymbol?: string;
  tokenValueExponent?: number;
  /** Epoch length in blocks. */
  epochInterval?: number;
  /** Debonding period in epochs. */
  debondingInterval?: number;
  /** Stake every threshold kind requires (base units). */
  threshold?: bigint;
  /** Escrow taken on a double sign; the node is frozen forever. */
  slashAmount?: bigint;
  /** Wait after each commit, milliseconds. */
  timeoutCommitMs?: number;
  maxValidators?: number;
  maxValidatorsPerEntity?: number;
  /** Gas every consensus method costs. */
  methodGas?: bigint;
  /** Epochs ahead a node registration may expire (registry `max_node_expiration`). */
  maxNodeExpiration?: bigint;
  /** Beacon backend: `insecure` (block entropy) or `vrf` (proofs from nodes; default). */
  beaconBackend?: 'insecure' | 'vrf';
  /** Runtimes registered at genesis (their owners' stake must cover them; nodes may serve them). */
  runtimes?: Runtime[];
  /** Roothash parameters that differ from the builder's defaults. */
  roothash?: Partial<RoothashParameters>;
  /** Consensus checkpoints: heights between them (default oasis-core's 10,000), kept count, chunk bytes. */
  checkpoints?: { interval?: number; numKept?: number; chunkSize?: number };
}

const STAKING_GAS_OPS = [
  'transfer',
  'burn',
  'add_escrow',
  'reclaim_escrow',
  'amend_commission_schedule',
  'allow',
  'withdraw',
];
const REGISTRY_GAS_OPS = [
  'register_entity',
  'deregister_entity',
  'register_node',
  'unfreeze_node',
  'register_runtime',
  'runtime_epoch_maintenance',
  'prove_freshness',
];
const ROOTHASH_GAS_OPS = ['compute_commit', 'proposer_timeout', 'evidence', 'submit_msg'];

function gasMap(ops: string[], cost: bigint): Map<string, bigint> {
  return new Map(ops.map((op) => [op, cost]));
}

/** Builds the document; the caller writes or hashes it. */
export function buildGenesis(o: GenesisBuildOptions): GenesisDocument {
  const gas = o.methodGas ?? 1000n;
  const threshold = o.threshold ?? 100n;
  const ledger = new Map<Uint8Array, ReturnType<typeof accountEntry>>();
  const delegations = new Map<Uint8Array, Map<Uint8Array, { shares: bigint }>>();
  let supply = o.commonPool ?? 0n;
  for (const a of o.accounts) {
    ledger.set(a.address, accountEntry(a.general, a.escrow ?? 0n));
    supply += a.general + (a.escrow ?? 0n);
    if (a.escrow) delegations.set(a.address, new Map([[a.address, { shares: a.escrow }]]));
  }
  return {
    height: BigInt(o.initialHeight ?? 1),
    genesis_time: o.time,
    chain_id: o.chainId,
    registry: {
      params: {
        debug_allow_unroutable_addresses: true,
        debug_allow_test_runtimes: true,
        debug_deploy_immediately: false,
        disable_runtime_registration: false,
        disable_km_runtime_registration: true,
        gas_costs: gasMap(REGISTRY_GAS_OPS, gas),
        max_node_expiration: o.maxNodeExpiration ?? 5n,
        enable_runtime_governance_models: new Map([
          [GovernanceModel.entity, true],
          [GovernanceModel.runtime, true],
        ]),
        enable_km_churp: false,
        tee_features: undefined,
        max_runtime_deployments: 0,
      },
      entities: o.entities.map(signedEntry),
      runtimes: o.runtimes ?? [],
      suspended_runtimes: [],
      nodes: o.nodes.map((n) => ({
        untrusted_raw_value: n.untrusted_raw_value,
        signatures: n.signatures.map((s) => ({ public_key: s.public_key, signature: s.signature })),
      })),
      node_statuses: new Map<never, never>(),
    },
    roothash: {
      params: {
        gas_costs: gasMap(ROOTHASH_GAS_OPS, gas),
        debug_do_not_suspend_runtimes: false,
        debug_bypass_stake: false,
        max_runtime_messages: 128,
        max_in_runtime_messages: 128,
        max_evidence_age: 100n,
        max_past_roots_stored: 1200n,
        ...o.roothash,
      },
      runtime_states: new Map(),
    },
    staking: {
      params: {
        thresholds: new Map(
          Object.values(THRESHOLD_KIND_NAMES)
            .filter((k) => k !== THRESHOLD_KIND_NAMES['keymanager-churp'])
            .map((k) => [k, threshold]),
        ),
        debonding_interval: BigInt(o.debondingInterval ?? 1),
        reward_schedule: [{ until: 1_000_000n, scale: 1000n }],
        signing_reward_threshold_numerator: 3n,
        signing_reward_threshold_denominator: 4n,
        commission_schedule_rules: {
          rate_change_interval: 1n,
          rate_bound_lead: 1n,
          max_rate_steps: 10n,
          max_bound_steps: 10n,
          min_commission_rate: 0n,
        },
        slashing: new Map([
          [
            SLASH_REASON_NAMES['consensus-equivocation'],
            { amount: o.slashAmount ?? 10n ** 11n, freeze_interval: U64_MAX },
          ],
        ]),
        gas_costs: gasMap(STAKING_GAS_OPS, gas),
        min_delegation: 0n,
        min_transfer: 0n,
        min_transact_balance: 0n,
        disable_transfers: false,
        disable_delegation: false,
        undisable_transfers_from: new Map(),
        allow_escrow_messages: true,
        max_allowances: 16n,
        fee_split_weight_propose: 2n,
        fee_split_weight_vote: 1n,
        fee_split_weight_next_propose: 1n,
        reward_factor_epoch_signed: 1n,
        reward_factor_block_proposed: 0n,
        debug_bypass_stake: false,
        token_symbol: undefined,
        token_value_exponent: undefined,
      },
      token_symbol: o.tokenSymbol ?? 'TEST',
      token_value_exponent: o.tokenValueExponent ?? 9,
      total_supply: supply,
      common_pool: o.commonPool ?? 0n,
      last_block_fees: 0n,
      governance_deposits: 0n,
      ledger,
      delegations,
      debonding_delegations: new Map(),
    },
    keymanager: { params: undefined, statuses: [] },
    scheduler: {
      params: {
        min_validators: 1,
        max_validators: o.maxValidators ?? 100,
        max_validators_per_entity: o.maxValidatorsPerEntity ?? 1,
        debug_bypass_stake: false,
        debug_allow_weak_alpha: false,
        reward_factor_epoch_election_any: 0n,
        voting_power_distribution: 0,
      },
    },
    beacon: {
      base: 0n,
      params: beaconParams(o.beaconBackend ?? 'vrf', BigInt(o.epochInterval ?? 20), gas, provers(o.nodes)),
    },
    governance: {
      params: {
        ...defaultGovernanceParameters(),
        gas_costs: gasMap(['submit_proposal', 'cast_vote'], gas),
      },
      proposals: [],
      vote_entries: new Map<never, never>(),
    },
    consensus: {
      backend: CONSENSUS_BACKEND,
      params: {
        timeout_commit: BigInt(o.timeoutCommitMs ?? 1000) * 1_000_000n,
        // A zero commit timeout means "start the next height at once" (CometBFT's skip_timeout_commit).
        skip_timeout_commit: o.timeoutCommitMs === 0,
        empty_block_interval: 0n,
        max_tx_size: 128n * 1024n,
        max_block_size: 4n * 1024n * 1024n,
        max_block_gas: 0n,
        max_evidence_size: 1024n * 1024n,
        state_checkpoint_interval: BigInt(o.checkpoints?.interval ?? 10_000),
        state_checkpoint_num_kept: BigInt(o.checkpoints?.numKept ?? 2),
        state_checkpoint_chunk_size: BigInt(o.checkpoints?.chunkSize ?? 8 * 1024 * 1024),
        gas_costs: new Map([['tx_byte', 1n]]),
        public_key_blacklist: [],
        min_gas_price: undefined,
      },
    },
    extra_data: new Map(),
  };
}

/**
 * Genesis nodes expected to submit VRF proofs: the validators (our nodes prove as validators; compute
 * nodes do not yet, and counting them would leave alpha low quality for good).
 */
function provers(nodes: MultiSigned[]): number {
  return nodes.filter((n) => (openMultiSignedNode(n).roles & NodeRoles.validator) !== 0).length;
}

/**
 * Beacon parameters. VRF proofs are accepted from a quarter into each epoch, and alpha counts as high
 * quality with proofs from two thirds of the genesis validators.
 */
function beaconParams(backend: 'insecure' | 'vrf', interval: bigint, gas: bigint, nodes: number) {
  if (backend === 'insecure') {
    return {
      backend,
      debug_mock_backend: false,
      insecure_parameters: { interval },
      vrf_parameters: undefined,
    };
  }
  return {
    backend,
    debug_mock_backend: false,
    insecure_parameters: undefined,
    vrf_parameters: {
      alpha_hq_threshold: BigInt(Math.max(1, Math.ceil((2 * nodes) / 3))),
      interval,
      proof_delay: interval / 4n,
      gas_costs: new Map([['vrf_prove', gas]]),
    },
  };
}

function signedEntry(s: Signed) {
  return {
    untrusted_raw_value: s.untrusted_raw_value,
    signature: { public_key: s.signature.public_key, signature: s.signature.signature },
  };
}

function accountEntry(general: bigint, escrow: bigint) {
  return {
    general: general > 0n ? { balance: general, nonce: 0n, allowances: new Map() } : undefined,
    escrow:
      escrow > 0n
        ? {
            active: { balance: escrow, total_shares: escrow },
            debonding: undefined,
            commission_schedule: undefined,
            stake_accumulator: undefined,
          }
        : undefined,
  };
}
