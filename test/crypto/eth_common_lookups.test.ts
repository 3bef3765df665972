import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { paramsTx } from '@ethereumjs/tx';
import '../../src/crypto/eth_common_lookups.ts';

/** What the library's own list scan answers. */
const listed = (c: Common, eip: number) =>
  (c as unknown as { _activatedEIPsCache: number[] })._activatedEIPsCache.includes(eip);

describe('Common lookups', () => {
  it('answers isActivatedEIP as the active list does, also after the hardfork changes', () => {
    const common = new Common({ chain: Mainnet, hardfork: Hardfork.Prague });
    const eips = Array.from({ length: 8000 }, (_, i) => i);
    assert.ok(common.isActivatedEIP(2929) && common.isActivatedEIP(7702));
    for (const eip of eips) assert.equal(common.isActivatedEIP(eip), listed(common, eip), `EIP ${eip}`);
    common.setHardfork(Hardfork.London);
    assert.equal(common.isActivatedEIP(7702), false);
    assert.equal(common.isActivatedEIP(1559), true);
    for (const eip of eips) assert.equal(common.isActivatedEIP(eip), listed(common, eip), `EIP ${eip}`);
  });

  it('keeps the parameter cache on an empty update and still applies real ones', () => {
    const common = new Common({ chain: Mainnet, hardfork: Hardfork.Prague, params: paramsTx });
    const before = common.param('txGas');
    common.updateParams({});
    assert.equal(common.param('txGas'), before);
    common.updateParams({ 1: { txGas: 12345 } });
    assert.equal(common.param('txGas'), 12345n);
  });
});
