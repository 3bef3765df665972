/**
 * Whole-document genesis validation, as `oasis-ts genesis check` and node start-up run it: the consensus
 * parameters, then the complete genesis load of every service (descriptor signatures, stake claims, supply
 * sums, the genesis validator election) on a scratch state — exactly what a node does at its first start,
 * so a document that passes here starts a chain. The first problem is reported with where it is.
 */

import { chainContextOf, type GenesisDocument, GenesisError } from '../genesis/document.ts';
import { genesisSections } from '../genesis/sections.ts';
import { assembleServices } from '../services/assemble.ts';
import { CONSENSUS_BACKEND } from '../services/consensus/api/genesis.ts';
import { validateConsensusParameters } from '../services/consensus/api/params.ts';
import { memoryState } from '../state/overlay.ts';

function step<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new GenesisError(`${where}: ${(err as Error).message}`);
  }
}

/** Throws `GenesisError` for the first problem found; returns the genesis validator count when valid. */
export function checkGenesis(doc: GenesisDocument): number {
  step('consensus', () => {
    if (doc.consensus.backend !== CONSENSUS_BACKEND)
      throw new Error(`backend must be "${CONSENSUS_BACKEND}"`);
    validateConsensusParameters(doc.consensus.params);
  });
  const chainContext = chainContextOf(doc);
  const sections = step('genesis', () => genesisSections(doc, chainContext));
  const { mux } = assembleServices({ chainContext });
  const { validatorUpdates } = step('genesis', () =>
    mux.initChain(memoryState(), Number(doc.height) - 1, doc.genesis_time, sections),
  );
  if (validatorUpdates.length === 0) throw new GenesisError('scheduler: genesis elects no validators');
  return validatorUpdates.length;
}
