/**
 * What the runtime's node side reads of committed consensus state: the roothash's state of a runtime, its
 * executor committee, its incoming message queue and the outcomes of its last round's messages. A port: the node supplies it over the services' state
 * readers, so the runtime depends on the services' api types only.
 */
import type { IncomingMessage } from '../../services/roothash/api/incoming.ts';
import type { MessageEvent } from '../../services/roothash/api/messages.ts';
import type { RuntimeState } from '../../services/roothash/api/runtime_state.ts';
import type { Committee } from '../../services/scheduler/api/committee.ts';
import type { StateReader } from '../../state/api.ts';

/** Typed reads of a runtime's consensus-side state at one committed state. */
export interface RuntimeChainReads {
  /** The roothash's state of the runtime; undefined when the roothash does not know it. */
  runtimeState(state: StateReader, runtimeId: Uint8Array): RuntimeState | undefined;
  /** The runtime's executor committee as last elected, if any. */
  executorCommittee(state: StateReader, runtimeId: Uint8Array): Committee | undefined;
  /** The head of the runtime's incoming message queue, at most `limit` messages, in sequence order. */
  incomingMessages(state: StateReader, runtimeId: Uint8Array, limit: number): IncomingMessage[];
  /** Outcomes of the messages the runtime's last normal round emitted (none before any). */
  lastRoundMessages(state: StateReader, runtimeId: Uint8Array): MessageEvent[];
}
