/**
 * Coded errors of the runtime host protocol. The executor worker (and tests) tell a dead runtime from a
 * timeout or a protocol violation by these codes, and none of them ever escapes as an uncaught throw.
 */
import { CodedError } from '../../errors.ts';

/** Error module of everything the host/runtime transport raises. */
export const RHP_MODULE = 'runtime/host';

/** Codes within `RHP_MODULE`. */
export const RhpErrorCode = Object.freeze({
  /** The peer broke the protocol: garbage or oversize frame, unknown response id, wrong body kind. */
  protocolViolation: 1,
  /** No response within the call's timeout. */
  timeout: 2,
  /** The runtime process died (or the connection closed) while the call was in flight. */
  runtimeDied: 3,
  /** The runtime is not running (stopped, or restarting after a crash) and the call could not wait. */
  unavailable: 4,
  /** The call was aborted by the host (`abort`). */
  aborted: 5,
  /** The state the request names (a state root) is not available to the runtime. */
  stateUnavailable: 6,
  /** The handshake failed (version mismatch, bad info response). */
  handshake: 7,
  /** The peer does not handle this request kind. */
  unsupported: 8,
});

/** A coded runtime-host-protocol error. */
export function rhpError(code: number, message: string): CodedError {
  return new CodedError(RHP_MODULE, code, message);
}
