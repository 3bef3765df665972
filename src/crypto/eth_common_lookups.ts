/**
 * Makes two hot lookups of `@ethereumjs/common` cheap without changing an answer (for the EVM ParaTime and
 * for a node decoding its transactions):
 * - `isActivatedEIP` scans the list of active EIPs (~50) on every call, and the interpreter asks it several
 *   times per opcode (~2.5 % of an ERC-20 transfer's execution): answered from a set built once per list
 *   (the list is replaced, never edited, when the hardfork or EIPs change, so a new list gets a new set);
 * - `updateParams({})`, which every decoded transaction calls on its copy of the chain's Common, rebuilds
 *   the whole parameter cache from unchanged parameters (~2 %): with nothing to merge, the cache already
 *   holds what a rebuild would produce, so it is kept.
 */
import { Common } from '@ethereumjs/common';

interface CommonInternals {
  _activatedEIPsCache: number[];
}

const activeSets = new WeakMap<number[], Set<number>>();

Common.prototype.isActivatedEIP = function (this: Common, eip: number): boolean {
  const list = (this as unknown as CommonInternals)._activatedEIPsCache;
  let active = activeSets.get(list);
  if (active === undefined) activeSets.set(list, (active = new Set(list)));
  return active.has(eip);
};

const updateParams = Common.prototype.updateParams;
Common.prototype.updateParams = function (this: Common, params: Parameters<Common['updateParams']>[0]) {
  if (Object.keys(params).length === 0) return;
  updateParams.call(this, params);
};
