/** An upgrade record kept in memory (a data directory's file in the node), shared by successive managers. */
import type { UpgradeStore } from '../../../src/services/upgrade/manager.ts';

/** A store whose `value` tests can inspect; `writes` counts saves. */
export class MemoryUpgradeStore implements UpgradeStore {
  value: Uint8Array | undefined;
  writes = 0;

  load(): Uint8Array | undefined {
    return this.value;
  }

  save(value: Uint8Array | undefined): void {
    this.value = value;
    this.writes++;
  }
}

/** A descriptor to `major`.0.0 at `epoch` with `handler`. */
export function descriptor(epoch: bigint, major = 8, handler = '__e2e-test-valid') {
  return {
    v: 1n,
    handler,
    target: {
      consensus_protocol: { major, minor: 0, patch: 0 },
      runtime_host_protocol: { major: 5, minor: 0, patch: 0 },
      runtime_committee_protocol: { major: 4, minor: 0, patch: 0 },
    },
    epoch,
  };
}
