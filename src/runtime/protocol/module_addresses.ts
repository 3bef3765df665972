/**
 * runtime-sdk module addresses: accounts owned by a module rather than a key, derived from the module
 * name and a kind. Declared here so the runtime (which pays into them) and the node (which reads them back,
 * e.g. the Ethereum index telling fees apart) derive them from one place.
 */
import { utf8 } from '../../codec/bytes.ts';
import { type Address, newAddress } from '../../crypto/address.ts';

/** runtime-sdk module address: V0 module context over `module.kind`. */
export function moduleAddress(module: string, kind: string): Address {
  return newAddress('oasis-runtime-sdk/address: module', utf8(`${module}.${kind}`));
}

/** Where transaction fees are paid (runtime-sdk's accounts fee accumulator). */
export const FEE_ACCUMULATOR_ADDRESS = moduleAddress('accounts', 'fee-accumulator');
