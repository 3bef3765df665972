/**
 * Whole-document genesis validation, as `oasis-ts genesis check` and node start-up run it: every section
 * through its owning service's decoder and checks, descriptors through their signature checks. The first
 * problem is reported with the section and item it concerns.
 */

import { beaconGenesisDecoder } from '../services/beacon/api/types.ts';
import { openSignedEntity } from '../services/registry/api/entity.ts';
import { openMultiSignedNode } from '../services/registry/api/node.ts';
import { stakingGenesisDecoder, validateStakingGenesis } from '../services/staking/genesis.ts';
import { CONSENSUS_BACKEND, validateConsensusParameters } from './consensus_section.ts';
import { type GenesisDocument, GenesisError, sectionCbor } from './document.ts';

function step<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new GenesisError(`${where}: ${(err as Error).message}`);
  }
}

/** Throws `GenesisError` for the first problem found; returns quietly for a valid document. */
export function checkGenesis(doc: GenesisDocument): void {
  step('consensus', () => {
    if (doc.consensus.backend !== CONSENSUS_BACKEND)
      throw new Error(`backend must be "${CONSENSUS_BACKEND}"`);
    validateConsensusParameters(doc.consensus.params);
  });
  const beacon = step('beacon', () => beaconGenesisDecoder(sectionCbor(doc, 'beacon'), 'beacon'));
  step('staking', () =>
    validateStakingGenesis(stakingGenesisDecoder(sectionCbor(doc, 'staking'), 'staking'), beacon.base),
  );
  const entityIds = new Set<string>();
  doc.registry.entities.forEach((signed, i) =>
    step(`registry.entities[${i}]`, () => {
      const entity = openSignedEntity(signed);
      const id = Buffer.from(entity.id).toString('hex');
      if (entityIds.has(id)) throw new Error('duplicate entity');
      entityIds.add(id);
    }),
  );
  doc.registry.nodes.forEach((ms, i) =>
    step(`registry.nodes[${i}]`, () => {
      const node = openMultiSignedNode(ms);
      if (!entityIds.has(Buffer.from(node.entityId).toString('hex')))
        throw new Error('node of an unknown entity');
    }),
  );
}
