/**
 * `oasis-core.KeyManager/StateToGenesis`: this node runs no key manager service, so its section is the one
 * the genesis document carried, as the whole-chain `StateToGenesis` keeps it.
 */
import type { CborValue } from '../../codec/cbor.ts';
import { type UnaryMethod, unaryMethod } from '../method.ts';
import { heightOf } from '../queries.ts';

/** Where the section comes from: the chain's genesis document recreated at a height. */
export interface GenesisAtHeight {
  stateToGenesis(height: number): CborValue;
}

function sectionOf(doc: CborValue, name: string): CborValue {
  if (doc instanceof Map) return (doc.get(name) ?? null) as CborValue;
  return ((doc as Record<string, CborValue>)[name] ?? null) as CborValue;
}

/** The KeyManager methods this node serves. */
export function keymanagerMethods(source: GenesisAtHeight): UnaryMethod[] {
  return [
    unaryMethod('oasis-core.KeyManager', 'StateToGenesis', async (r) =>
      sectionOf(source.stateToGenesis(heightOf(r)), 'keymanager'),
    ),
  ];
}
