/**
 * Light blocks out of the engine's block store: the header of a height, the commit we hold for it and the
 * validator set that decided it (kept in the chain state after that height). What `GetLightBlock` and the
 * p2p light protocol serve.
 */
import type { LightBlock } from '../api/light_block.ts';
import type { BlockStore } from './block_store.ts';

/** The light block of `height`, or undefined when its block, commit or deciding set is not kept. */
export function lightBlockAt(store: BlockStore, height: number): LightBlock | undefined {
  const block = store.block(height);
  const commit = store.commit(height);
  const deciders = store.stateAt(height)?.lastValidators ?? store.stateAt(height - 1)?.validators;
  if (block === undefined || commit === undefined || deciders == null) return undefined;
  return {
    header: block.header,
    commit,
    validators: deciders.validators.map((v) => ({ publicKey: v.publicKey, power: v.power })),
  };
}
