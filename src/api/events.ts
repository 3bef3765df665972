/**
 * Service events in the shape clients expect (oasis-core `consensus/api.Event`): one key per service
 * (`staking`, `registry`, `roothash`, `governance`), each holding the block height, the transaction hash
 * and one kind-specific field — escrow kinds nested under `escrow`, as oasis-core groups them, and the
 * roothash's runtime ID beside its kind.
 */
import type { AppEvent } from '../consensus/api/application.ts';

const ESCROW_KINDS: Readonly<Record<string, string>> = Object.freeze({
  add_escrow: 'add',
  take_escrow: 'take',
  debonding_start: 'debonding_start',
  reclaim_escrow: 'reclaim',
});

/** Services whose events clients decode. */
const CLIENT_MODULES = new Set(['staking', 'registry', 'roothash', 'governance']);

/** The client-facing form of one event, or undefined for internal events (e.g. beacon epochs). */
export function toClientEvent(event: AppEvent, height: number): Record<string, unknown> | undefined {
  if (!CLIENT_MODULES.has(event.module)) return undefined;
  const inner: Record<string, unknown> = { height };
  if (event.txHash !== undefined) inner.tx_hash = event.txHash;
  const escrowKind = event.module === 'staking' ? ESCROW_KINDS[event.kind] : undefined;
  if (escrowKind) inner.escrow = { [escrowKind]: event.value };
  else if (event.module === 'roothash') {
    // roothash.Event carries the runtime beside the kind: {runtime_id, finalized: {round}, …}.
    const { runtime_id, ...rest } = event.value as Record<string, unknown>;
    inner.runtime_id = runtime_id;
    inner[event.kind] = rest;
  } else inner[event.kind] = event.value;
  return { [event.module]: inner };
}

/** Client-facing events of a list, dropping internal ones. */
export function toClientEvents(events: readonly AppEvent[], height: number): Record<string, unknown>[] {
  return events
    .map((e) => toClientEvent(e, height))
    .filter((e): e is Record<string, unknown> => e !== undefined);
}

/** Events of one service in its own `GetEvents` shape (`staking.GetEvents` returns bare StakingEvents). */
export function serviceEvents(events: readonly AppEvent[], module: string, height: number): unknown[] {
  return toClientEvents(
    events.filter((e) => e.module === module),
    height,
  ).map((e) => e[module]);
}
