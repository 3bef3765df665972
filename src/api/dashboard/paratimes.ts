/**
 * ParaTimes as the committees page shows them: each registered runtime's latest round and block type,
 * whether its commitment pool has a discrepancy, its executor committee (nodes, entities, roles),
 * per-worker liveness this epoch, and its recent rounds read from roothash events (proposer, commitments,
 * failures, discrepancies and timeouts, the height each was finalized at).
 */
import { toHex } from '../../codec/bytes.ts';
import type { AppEvent } from '../../consensus/api/application.ts';
import { RegistryQueries } from '../../services/registry/api/queries.ts';
import { runtimeCodec } from '../../services/registry/api/runtime.ts';
import { HeaderType } from '../../services/roothash/api/block.ts';
import { executorCommitmentCodec } from '../../services/roothash/api/commitment.ts';
import { ROOTHASH_MODULE } from '../../services/roothash/api/errors.ts';
import { RoothashEventKinds } from '../../services/roothash/api/events.ts';
import { RoothashQueries } from '../../services/roothash/api/queries.ts';
import { runtimeStateCodec } from '../../services/roothash/api/runtime_state.ts';
import { committeeCodec } from '../../services/scheduler/api/committee.ts';
import { SchedulerQueries } from '../../services/scheduler/api/queries.ts';
import type { StateReader } from '../../state/api.ts';
import type { DashboardBackend } from './backend.ts';
import { latestState, NodeDirectory, windowHeights } from './chain_reads.ts';

/** One runtime round seen in the window's events. */
export interface RoundView {
  round: string;
  /** The round's scheduler (proposer) node, and its entity when registered. */
  proposer: string | null;
  proposer_entity: string | null;
  commitments: number;
  /** Commitments that reported a failure instead of results. */
  failures: number;
  discrepancy: boolean;
  timeout: boolean;
  /** Consensus height the round was finalized at; null while open (or if it failed). */
  finalized_height: number | null;
}

/** One ParaTime as `/api/paratimes` answers it. */
export interface ParaTimeView {
  id: string;
  suspended: boolean;
  round: string;
  block_type: string;
  /** Unix seconds of the latest runtime block. */
  block_time: string;
  discrepancy: boolean;
  committee: {
    valid_for: string | null;
    members: Array<{ node: string; entity: string | null; role: string; live_rounds: string | null }>;
  };
  total_rounds: string;
  rounds: RoundView[];
  /** Whether `/api/evm/<id>` serves its Ethereum blocks (an EVM ParaTime this node indexes). */
  ethereum: boolean;
}

const BLOCK_TYPES = new Map<number, string>(Object.entries(HeaderType).map(([name, n]) => [n, name]));
const ROLE_NAMES = new Map([
  [1, 'worker'],
  [2, 'backup-worker'],
]);

/** The window's roothash events of every runtime, folded into rounds (newest first), by runtime ID. */
function recentRounds(
  b: DashboardBackend,
  latest: number,
  window: number,
  nodes: NodeDirectory,
): Map<string, RoundView[]> {
  const byRuntime = new Map<string, Map<string, RoundView>>();
  const roundOf = (runtime: string, round: bigint): RoundView => {
    let rounds = byRuntime.get(runtime);
    if (!rounds) byRuntime.set(runtime, (rounds = new Map()));
    const key = round.toString();
    let r = rounds.get(key);
    if (!r) {
      r = {
        round: key,
        proposer: null,
        proposer_entity: null,
        commitments: 0,
        failures: 0,
        discrepancy: false,
        timeout: false,
        finalized_height: null,
      };
      rounds.set(key, r);
    }
    return r;
  };
  /** The round a discrepancy belongs to: the runtime's latest round with commitments. */
  const lastRound = new Map<string, bigint>();
  for (const height of windowHeights(b, latest, window)) {
    for (const e of b.eventsAt(height) ?? []) {
      if (e.module !== ROOTHASH_MODULE) continue;
      const v = e.value as Record<string, unknown>;
      if (!(v.runtime_id instanceof Uint8Array)) continue;
      const runtime = toHex(v.runtime_id);
      foldEvent(e, v, runtime, height, roundOf, lastRound, nodes);
    }
  }
  return new Map(
    [...byRuntime].map(([id, rounds]) => [
      id,
      [...rounds.values()].sort((x, y) => Number(BigInt(y.round) - BigInt(x.round))),
    ]),
  );
}

function foldEvent(
  e: AppEvent,
  v: Record<string, unknown>,
  runtime: string,
  height: number,
  roundOf: (runtime: string, round: bigint) => RoundView,
  lastRound: Map<string, bigint>,
  nodes: NodeDirectory,
): void {
  if (e.kind === RoothashEventKinds.executorCommitted) {
    const commit = executorCommitmentCodec.decode(v.commit as never, 'commit');
    const round = commit.header.header.round;
    const r = roundOf(runtime, round);
    r.commitments++;
    if (commit.header.failure !== 0) r.failures++;
    r.proposer = toHex(commit.header.scheduler_id);
    const entity = nodes.byId(commit.header.scheduler_id)?.entityId;
    r.proposer_entity = entity ? toHex(entity) : null;
    lastRound.set(runtime, round);
  } else if (e.kind === RoothashEventKinds.executionDiscrepancy) {
    const round = lastRound.get(runtime);
    if (round === undefined) return;
    const r = roundOf(runtime, round);
    r.discrepancy = true;
    if (v.timeout === true) r.timeout = true;
  } else if (e.kind === RoothashEventKinds.finalized) {
    if (typeof v.round === 'bigint' || typeof v.round === 'number')
      roundOf(runtime, BigInt(v.round)).finalized_height = height;
  }
}

function paraTime(
  state: StateReader,
  id: Uint8Array,
  nodes: NodeDirectory,
  rounds: RoundView[],
  ethereum: boolean,
): ParaTimeView {
  const rs = runtimeStateCodec.decode(RoothashQueries.getRuntimeState(state, id) as never, 'runtime_state');
  const header = rs.last_block.header;
  const committee = SchedulerQueries.getCommittees(state, id).map((c) =>
    committeeCodec.decode(c as never, 'committee'),
  )[0];
  const live = new Map(
    (rs.liveness_workers ?? []).map((w, i) => [toHex(w), rs.liveness_stats?.live_rounds[i]]),
  );
  return {
    id: toHex(id),
    suspended: rs.suspended,
    round: header.round.toString(),
    block_type: BLOCK_TYPES.get(header.header_type) ?? String(header.header_type),
    block_time: header.timestamp.toString(),
    discrepancy: rs.pool?.discrepancy ?? false,
    committee: {
      valid_for: committee ? committee.valid_for.toString() : null,
      members: (committee?.members ?? []).map((m) => {
        const entity = nodes.byId(m.public_key)?.entityId;
        return {
          node: toHex(m.public_key),
          entity: entity ? toHex(entity) : null,
          role: ROLE_NAMES.get(m.role) ?? String(m.role),
          live_rounds: live.get(toHex(m.public_key))?.toString() ?? null,
        };
      }),
    },
    total_rounds: (rs.liveness_stats?.total_rounds ?? 0n).toString(),
    rounds: rounds.slice(0, 20),
    ethereum,
  };
}

/** Every registered ParaTime at the latest height, with rounds from the last `window` blocks. */
export function paraTimes(
  b: DashboardBackend,
  window: number,
): { height: number; paratimes: ParaTimeView[] } {
  const { height, state } = latestState(b);
  const nodes = new NodeDirectory(state);
  const rounds = recentRounds(b, height, window, nodes);
  const ids = RegistryQueries.getRuntimes(state, true).map(
    (r) => runtimeCodec.decode(r as never, 'runtime').id,
  );
  return {
    height,
    paratimes: ids.map((id) =>
      paraTime(state, id, nodes, rounds.get(toHex(id)) ?? [], b.ethIndex(toHex(id)) !== undefined),
    ),
  };
}
