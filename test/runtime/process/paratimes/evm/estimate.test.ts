/**
 * `core.EstimateGas` of EVM calls, as the web3 gateway asks for `eth_estimateGas`: an unsigned
 * `evm.Call` built by client-rt's `evm` wrapper with a `secp256k1eth` signer is estimated by simulation,
 * the estimate suffices for the real transaction even when refunds make the gas finally used smaller
 * than the gas needed, and a reverting call is reported as such when failures are propagated.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasisRT from '@oasisprotocol/client-rt';
import { AbiCoder } from 'ethers';
import { fromHex } from '../../../../../src/codec/bytes.ts';
import { contracts } from './fixtures/contracts.ts';
import { alice, EventKeys, eth, eventsOf, RUNTIME_ID, result, setup, signed } from './helpers.ts';

const abi = contracts.Counter!.abi;
const data = (fn: string, args: unknown[] = []) => fromHex(abi.encodeFunctionData(fn, args).slice(2));

function unsignedCall(address: Uint8Array, input: Uint8Array) {
  const w = new oasisRT.evm.Wrapper(RUNTIME_ID).callCall();
  w.setBody({ address, value: new Uint8Array(0), data: input });
  const pk = fromHex(alice.signingKey.compressedPublicKey.slice(2));
  w.setSignerInfo([{ address_spec: { signature: { secp256k1eth: pk } }, nonce: 1n }]);
  w.setFeeGas(0n);
  return w.transaction;
}

describe('EVM ParaTime gas estimation', () => {
  it('estimates enough gas for a call whose refund makes the gas used smaller than the gas needed', async () => {
    const env = setup();
    const start = AbiCoder.defaultAbiCoder().encode(['uint256'], [5n]).slice(2);
    const deploy = await env.run(env.root, [
      await signed(alice, { nonce: 0, data: contracts.Counter!.bytecode + start }),
    ]);
    const address = result(deploy.results[0]!).ok as Uint8Array;
    const root = deploy.header.state_root;
    const estimate = BigInt(
      (await env.query(root, 'core.EstimateGas', {
        tx: unsignedCall(address, data('reset')),
        propagate_failures: true,
      })) as number,
    );
    const exact = await env.run(root, [
      await signed(alice, {
        nonce: 1,
        to: `0x${Buffer.from(address).toString('hex')}`,
        data: abi.encodeFunctionData('reset'),
        gasLimit: estimate,
      }),
    ]);
    assert.ok(result(exact.results[0]!).ok !== undefined, JSON.stringify(result(exact.results[0]!).fail));
    const used = BigInt((eventsOf(exact, 0).get(EventKeys.gasUsed)![0] as { amount: number }).amount);
    assert.ok(used < estimate, `the refund lowers gas used (${used}) below the estimate (${estimate})`);
    // With only the gas finally used, the same call runs out of gas before its refund is granted.
    const short = await env.run(root, [
      await signed(alice, {
        nonce: 1,
        to: `0x${Buffer.from(address).toString('hex')}`,
        data: abi.encodeFunctionData('reset'),
        gasLimit: used,
      }),
    ]);
    const fail = result(short.results[0]!).fail;
    assert.deepEqual([fail?.module, fail?.code], ['evm', 2], fail?.message);
  });

  it('reports a reverting call when failures are propagated, and its gas otherwise', async () => {
    const env = setup();
    const deploy = await env.run(env.root, [
      await signed(alice, { nonce: 0, data: contracts.Counter!.bytecode + '0'.repeat(64) }),
    ]);
    const address = result(deploy.results[0]!).ok as Uint8Array;
    const root = deploy.header.state_root;
    const tx = unsignedCall(address, data('add', [1000n]));
    await assert.rejects(env.query(root, 'core.EstimateGas', { tx, propagate_failures: true }), {
      module: 'evm',
      code: 8,
    });
    const gas = (await env.query(root, 'core.EstimateGas', {
      tx,
      caller: { eth_address: eth(alice.address) },
    })) as number;
    assert.ok(BigInt(gas) > 21_000n);
  });
});
