/**
 * The EVM ParaTime as `@oasisprotocol/client-rt` sees it: an Ethereum address's runtime-sdk address is
 * the one client-rt derives, the accounts module and the EVM share one balance per address (an SDK
 * transfer signed by client-rt funds an Ethereum account that then pays its own fees), and the `evm.*`
 * queries answer under client-rt's method names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { AbiCoder } from 'ethers';
import { fromHex, toHex } from '../../../../../src/codec/bytes.ts';
import { addressFromPublicKey, addressToBech32 } from '../../../../../src/crypto/address.ts';
import { NATIVE_DENOMINATION } from '../../../../../src/runtime/process/paratimes/accounts/params.ts';
import { oasisAddressOfEth } from '../../../../../src/runtime/process/paratimes/evm/address.ts';
import { contracts } from './fixtures/contracts.ts';
import {
  alice,
  bob,
  CHAIN,
  carol,
  ETHER,
  eth,
  GWEI,
  oasisOf,
  RUNTIME_ID,
  result,
  setup,
  signed,
} from './helpers.ts';

const hex = (b: unknown) => `0x${toHex(b as Uint8Array)}`;
const q = oasis.quantity.fromBigInt;

describe('EVM ParaTime and client-rt', () => {
  it('maps Ethereum addresses to the runtime-sdk addresses client-rt derives', async () => {
    const vector = fromHex('dce075e1c39b1ae0b75d554558b6451a226ffe00');
    assert.equal(
      addressToBech32(oasisAddressOfEth(vector)),
      'oasis1qrk58a6j2qn065m6p06jgjyt032f7qucy5wqeqpt',
    );
    const viaClient = await oasis.address.fromData(
      oasisRT.address.V0_SECP256K1ETH_CONTEXT_IDENTIFIER,
      0,
      vector,
    );
    assert.deepEqual(oasisAddressOfEth(vector), viaClient);
    const compressed = fromHex(alice.signingKey.compressedPublicKey.slice(2));
    const fromSigspec = await oasisRT.address.fromSigspec({ secp256k1eth: compressed });
    assert.deepEqual(oasisOf(alice.address), fromSigspec);
  });

  it('shares one balance: an SDK transfer funds an Ethereum account, which then pays its own fees', async () => {
    const seed = new Uint8Array(32).fill(1);
    const signer = oasis.signature.NaclSigner.fromSeed(seed, 'this key is not important');
    const edAddress = addressFromPublicKey(signer.public());
    const env = setup({ balances: [[edAddress, 10n * ETHER]] });
    const w = new oasisRT.accounts.Wrapper(RUNTIME_ID).callTransfer();
    w.setBody({ to: oasisOf(carol.address), amount: [q(2n * ETHER), NATIVE_DENOMINATION] });
    w.setSignerInfo([{ address_spec: { signature: { ed25519: signer.public() } }, nonce: 0n }]);
    w.setFeeAmount([q(0n), NATIVE_DENOMINATION]);
    w.setFeeGas(10_000n);
    await w.sign([new oasis.signature.BlindContextSigner(signer)], CHAIN);
    const sdkTx = oasis.misc.toCBOR(w.unverifiedTransaction);
    const ethTx = await signed(carol, { nonce: 0, to: bob.address, value: ETHER, gasLimit: 50_000n });
    const out = await env.run(env.root, [sdkTx, ethTx]);
    assert.deepEqual(
      out.results.map((r) => Object.keys(result(r))),
      [['ok'], ['ok']],
    );
    const after = out.header.state_root;
    const evmBalance = (await env.query(after, oasisRT.evm.METHOD_BALANCE, {
      address: eth(carol.address),
    })) as Uint8Array;
    const accountsView = (await env.query(after, oasisRT.accounts.METHOD_BALANCES, {
      address: oasisOf(carol.address),
    })) as {
      balances: Map<Uint8Array, Uint8Array>;
    };
    const native = oasis.quantity.toBigInt([...accountsView.balances.values()][0]!);
    assert.equal(oasis.quantity.toBigInt(evmBalance), native, 'evm.Balance and accounts.Balances agree');
    assert.ok(native < ETHER && native > ETHER - 100_000n * GWEI, `carol paid 1 ether and a fee: ${native}`);
    assert.equal(
      await env.query(after, oasisRT.accounts.METHOD_NONCE, { address: oasisOf(carol.address) }),
      1n,
    );
  });

  it('answers evm.Code, evm.Storage, evm.SimulateCall (call, create, revert) and evm.Parameters', async () => {
    const env = setup();
    const start = AbiCoder.defaultAbiCoder().encode(['uint256'], [3n]).slice(2);
    const out = await env.run(env.root, [
      await signed(alice, { nonce: 0, data: contracts.Counter!.bytecode + start }),
    ]);
    const address = result(out.results[0]!).ok as Uint8Array;
    const after = out.header.state_root;
    const sim = (data: string, to: Uint8Array | undefined, value = new Uint8Array(0)) =>
      env.query(after, oasisRT.evm.METHOD_SIMULATE_CALL, {
        gas_price: Uint8Array.of(0),
        gas_limit: 3_000_000n,
        caller: eth(bob.address),
        ...(to ? { address: to } : {}),
        value,
        data: fromHex(data.slice(2)),
      });
    const owner = await sim(contracts.Counter!.abi.encodeFunctionData('owner'), address);
    assert.equal(contracts.Counter!.abi.decodeFunctionResult('owner', hex(owner))[0], alice.address);
    const created = await sim(contracts.Counter!.bytecode + start, undefined);
    assert.equal(
      hex(created),
      contracts.Counter!.deployedBytecode,
      'a simulated creation returns the runtime code',
    );
    await assert.rejects(sim(contracts.Counter!.abi.encodeFunctionData('add', [1000n]), address), {
      module: 'evm',
      code: 8,
    });
    await assert.rejects(sim('0x', address, new Uint8Array(33)), { module: 'evm', code: 1 });
    assert.equal(hex(await env.query(after, oasisRT.evm.METHOD_CODE, { address: eth(bob.address) })), '0x');
    const owner32 = (await env.query(after, oasisRT.evm.METHOD_STORAGE, {
      address,
      index: fromHex(`${'00'.repeat(31)}01`),
    })) as Uint8Array;
    assert.equal(hex(owner32.slice(12)), alice.address.toLowerCase());
    assert.deepEqual(
      { ...((await env.query(after, oasisRT.evm.METHOD_PARAMETERS, null)) as object) },
      { gas_costs: {} },
    );
    await assert.rejects(env.query(after, 'evm.Nope', null), { module: 'core', code: 3 });
    assert.equal(env.nonce(after, bob.address), 0n, 'simulations keep nothing');
  });
});
