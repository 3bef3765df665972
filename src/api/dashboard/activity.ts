/**
 * What validators did over the last N blocks, read from the stored blocks and commits: blocks each
 * consensus key proposed and signed, and escrow each account lost to slashing (`take_escrow` events).
 */
import { toHex } from '../../codec/bytes.ts';
import { STAKING_MODULE } from '../../services/staking/api/errors.ts';
import { StakingEventKinds } from '../../services/staking/api/events.ts';
import type { DashboardBackend } from './backend.ts';
import { headerOf, windowHeights } from './chain_reads.ts';

/** Counts over a window of blocks, keyed by consensus key (hex) or account address (hex). */
export interface WindowActivity {
  /** Blocks in the window that are stored (the uptime denominator). */
  blocks: number;
  proposed: Map<string, number>;
  signed: Map<string, number>;
  /** Number of `take_escrow` events by owner address. */
  slashes: Map<string, number>;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Proposals, signatures and slashes over the last `window` blocks up to `latest`. */
export function windowActivity(b: DashboardBackend, latest: number, window: number): WindowActivity {
  const out: WindowActivity = { blocks: 0, proposed: new Map(), signed: new Map(), slashes: new Map() };
  for (const h of windowHeights(b, latest, window)) {
    const block = b.block(h);
    if (!block) continue;
    out.blocks++;
    bump(out.proposed, toHex(headerOf(block).proposer));
    for (const key of b.commitParticipation(h)?.signed ?? []) bump(out.signed, toHex(key));
    for (const e of b.eventsAt(h) ?? []) {
      if (e.module !== STAKING_MODULE || e.kind !== StakingEventKinds.takeEscrow) continue;
      const owner = (e.value as { owner?: unknown }).owner;
      if (owner instanceof Uint8Array) bump(out.slashes, toHex(owner));
    }
  }
  return out;
}
