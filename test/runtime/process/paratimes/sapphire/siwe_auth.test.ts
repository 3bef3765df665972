import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCreateAddress } from 'ethers';
import { fromHex } from '../../../../../src/codec/bytes.ts';
import { sapphireContracts } from '../evm/fixtures/sapphire_contracts.ts';
import { alice, bob, CHAIN_ID, eth, result, signed } from '../evm/helpers.ts';
import { confidential } from './helpers.ts';
import { siweLogin } from './siwe.ts';

const { SiweGated } = sapphireContracts as Record<string, (typeof sapphireContracts)[string]>;
const DOMAIN = 'oasis-ts.test';
const SECRET = 'only the owner reads this';

describe('SiweAuth (@oasisprotocol/sapphire-contracts) gating a view on the confidential EVM', () => {
  async function deployed() {
    const t = confidential();
    const deploy = SiweGated!.bytecode + SiweGated!.abi.encodeDeploy([DOMAIN, SECRET]).slice(2);
    const out = await t.run(t.root, [await signed(alice, { nonce: 0, data: deploy, gasLimit: 5_000_000n })]);
    assert.ok(result(out.results[0]!).ok, JSON.stringify(result(out.results[0]!).fail));
    const address = getCreateAddress({ from: alice.address, nonce: 0 });
    // As eth_call on Sapphire: the caller is zero whatever the request says.
    return async (fn: string, args: unknown[]) => {
      const output = (await t.query(out.header.state_root, 'evm.SimulateCall', {
        gas_price: new Uint8Array(0),
        gas_limit: 5_000_000n,
        caller: eth(alice.address),
        address: eth(address),
        value: new Uint8Array(0),
        data: fromHex(SiweGated!.abi.encodeFunctionData(fn, args).slice(2)),
      })) as Uint8Array;
      return SiweGated!.abi.decodeFunctionResult(fn, output);
    };
  }
  const fields = {
    domain: DOMAIN,
    chainId: CHAIN_ID,
    issuedAt: '2023-11-14T22:13:20Z',
    statement: 'Read it',
  };

  it('answers the owner who signed in, and no one else', async () => {
    const call = await deployed();
    const [token] = await call('login', await siweLogin(alice, fields));
    assert.deepEqual([...(await call('secret', [token]))], [SECRET]);
    const [bobToken] = await call('login', await siweLogin(bob, fields));
    await assert.rejects(call('secret', [bobToken]), /reverted/, 'another account’s token');
    await assert.rejects(call('secret', ['0x']), /reverted/, 'no token (the caller is zero)');
  });

  it('refuses a login claiming another address, another chain or another domain', async () => {
    const call = await deployed();
    await assert.rejects(
      call('login', await siweLogin(bob, { ...fields, address: alice.address })),
      /reverted/,
    );
    await assert.rejects(call('login', await siweLogin(alice, { ...fields, chainId: 1n })), /reverted/);
    await assert.rejects(
      call('login', await siweLogin(alice, { ...fields, domain: 'evil.test' })),
      /reverted/,
    );
  });
});
