/**
 * The genesis `keymanager` section (`go/keymanager/api.Genesis`). The key manager is not run yet: its
 * parameters are carried through and statuses must be empty.
 */
import { emptyOnlyArray, field, optionalCodec, structCodec } from '../../../codec/typed.ts';
import { gasCostsCodec } from '../../mux/gas.ts';

/** The genesis `keymanager` section. */
export const keymanagerGenesisCodec = structCodec({
  params: field(optionalCodec(structCodec({ gas_costs: field(gasCostsCodec, true) })), true),
  statuses: field(emptyOnlyArray('key manager statuses'), true),
});
