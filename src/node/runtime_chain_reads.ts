/**
 * The runtime's `RuntimeChainReads` port over the roothash's and scheduler's state readers: the node, which
 * may see the services' internals, hands it to every hosted runtime.
 */
import type { RuntimeChainReads } from '../runtime/node/chain_reads.ts';
import type { KeyManagerRegistryReads } from '../runtime/node/keymanager/registry_reads.ts';
import { RegistryStateReader } from '../services/registry/state.ts';
import { RoothashStateReader } from '../services/roothash/state.ts';
import { CommitteeKind } from '../services/scheduler/api/committee.ts';
import { SchedulerStateReader } from '../services/scheduler/state.ts';

/** Reads of a runtime's consensus-side state through the services' state readers. */
export const runtimeChainReads: RuntimeChainReads = Object.freeze<RuntimeChainReads>({
  runtimeState: (state, runtimeId) => new RoothashStateReader(state).runtimeState(runtimeId),
  executorCommittee: (state, runtimeId) =>
    new SchedulerStateReader(state).committee(CommitteeKind.computeExecutor, runtimeId),
  incomingMessages: (state, runtimeId, limit) =>
    new RoothashStateReader(state).incomingMessages(runtimeId, limit),
  lastRoundMessages: (state, runtimeId) =>
    new RoothashStateReader(state).lastRoundResults(runtimeId)?.messages ?? [],
});

/** The key manager's registry reads through the registry's state reader. */
export const keyManagerRegistryReads: KeyManagerRegistryReads = Object.freeze<KeyManagerRegistryReads>({
  runtime: (state, id) => new RegistryStateReader(state).runtime(id),
  nodes: (state) => new RegistryStateReader(state).nodes(),
});
