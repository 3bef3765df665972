/**
 * Invariants of the consensus-parameter state: the parameters are present and decode strictly, and the
 * chain context is set. (Whether the values suit the engine is `genesis check`'s concern, before a chain
 * starts.)
 */
import { decodeCanonical } from '../../codec/cbor.ts';
import { text } from '../../codec/schema.ts';
import type { StateReader } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import { consensusParameters } from './state.ts';

function fail(message: string): never {
  throw new Error(`consensus: sanity check failed: ${message}`);
}

/** Throws when the stored consensus parameters or chain context are missing or malformed. */
export function checkConsensusParameters(state: StateReader): void {
  try {
    consensusParameters(state);
  } catch (err) {
    fail((err as Error).message);
  }
  const raw = state.get(makeKey(KeyPrefix.chainContext));
  if (!raw || text(decodeCanonical(raw), 'chain_context').length === 0) fail('chain context not set');
}
