/**
 * Waiting on a runtime supervisor's recorded events in host tests: the supervisor reports restarts and
 * readiness as events, and a test waits until the one it expects has been recorded, within a bound.
 */
import type { SupervisorEvent } from '../../../../src/runtime/node/host/supervisor.ts';

/** Resolves once an event in `events` matches `pred`; rejects after `ms` milliseconds without one. */
export function untilEvent(
  events: SupervisorEvent[],
  pred: (e: SupervisorEvent) => boolean,
  ms: number,
): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (events.some(pred)) resolve();
      else if (Date.now() - started > ms) reject(new Error('event did not happen'));
      else setTimeout(poll, 10);
    };
    poll();
  });
}
