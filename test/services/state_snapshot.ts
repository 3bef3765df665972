/**
 * Whole-state snapshots for service tests: a failed transaction must change nothing but its signer's fee
 * and nonce, so tests compare the state after it with the state before plus exactly that change.
 */
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { StakingState } from '../../src/services/staking/state.ts';
import type { StateReader } from '../../src/state/api.ts';
import { memoryState } from '../../src/state/overlay.ts';

/** Every state entry as hex key → hex value. */
export function stateSnapshot(state: StateReader): Map<string, string> {
  return new Map([...state.entries(new Uint8Array(0))].map(([k, v]) => [toHex(k), toHex(v)]));
}

/** The snapshot `before` with only `address`'s fee debited and nonce bumped. */
export function afterFeeAndNonce(
  before: Map<string, string>,
  address: Uint8Array,
  fee: bigint,
): Map<string, string> {
  const scratch = memoryState();
  for (const [k, v] of before) scratch.set(fromHex(k), fromHex(v));
  const st = new StakingState(scratch);
  const a = st.account(address);
  a.general.balance -= fee;
  a.general.nonce += 1n;
  st.setAccount(address, a);
  return stateSnapshot(scratch);
}
