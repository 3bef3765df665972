/**
 * Executing real Ethereum transactions (signed by ethers) in the EVM ParaTime: deployment of a
 * solc-compiled contract, calls, storage, logs as events, reverts with their data, CREATE2, nested
 * reverts, transient storage, block values, precompiles and fee accounting.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  AbiCoder,
  getCreate2Address,
  getCreateAddress,
  keccak256,
  solidityPackedKeccak256,
  Transaction,
} from 'ethers';
import { fromBase64, fromHex, toHex } from '../../../../../src/codec/bytes.ts';
import { contracts } from './fixtures/contracts.ts';
import {
  alice,
  bob,
  CHAIN_ID,
  ETHER,
  EventKeys,
  eth,
  eventsOf,
  GWEI,
  result,
  setup,
  signed,
} from './helpers.ts';

const { Counter, Child } = contracts as Required<typeof contracts>;
const hex = (b: unknown) => `0x${toHex(b as Uint8Array)}`;
const deployData = (start: bigint) =>
  Counter!.bytecode + AbiCoder.defaultAbiCoder().encode(['uint256'], [start]).slice(2);
const call = (fn: string, args: unknown[] = []) => Counter!.abi.encodeFunctionData(fn, args);

/** Deploys Counter(start) from alice (nonce 0) and returns the state and the contract address. */
async function deployed(start = 5n) {
  const env = setup();
  const raw = await signed(alice, {
    nonce: 0,
    data: deployData(start),
    type: 2,
    maxFeePerGas: 2n * GWEI,
    maxPriorityFeePerGas: GWEI,
  });
  const out = await env.run(env.root, [raw]);
  const r = result(out.results[0]!);
  assert.ok(r.ok instanceof Uint8Array, `deployment failed: ${JSON.stringify(r.fail)}`);
  return { ...env, out, address: hex(r.ok), after: out.header.state_root };
}

describe('EVM ParaTime execution', () => {
  it('deploys a solc contract at the CREATE address ethers predicts, with its code and constructor storage', async () => {
    const { address, after, query, out, balance, fees, root } = await deployed(5n);
    assert.equal(address, getCreateAddress({ from: alice.address, nonce: 0 }).toLowerCase());
    const code = (await query(after, 'evm.Code', { address: eth(address) })) as Uint8Array;
    assert.equal(hex(code), Counter!.deployedBytecode);
    const slot0 = (await query(after, 'evm.Storage', {
      address: eth(address),
      index: new Uint8Array(32),
    })) as Uint8Array;
    assert.equal(BigInt(hex(slot0)), 5n);
    // Fees: gas used × effective price (min(tip, maxFee - base) + base with base 0 = 1 gwei), paid to the accumulator.
    const gasUsed = eventsOf(out, 0).get(EventKeys.gasUsed)![0] as { amount: number };
    const charged = BigInt(gasUsed.amount) * GWEI;
    assert.ok(BigInt(gasUsed.amount) > 100_000n, 'a deployment costs real gas');
    assert.equal(balance(root, alice.address) - balance(after, alice.address), charged);
    assert.equal(fees(after), charged);
  });

  it('calls the contract: storage changes, the log becomes an evm.Log event with indexed topics', async () => {
    const { address, after, run, query } = await deployed(5n);
    const out = await run(after, [await signed(bob, { nonce: 0, to: address, data: call('increment') })]);
    assert.deepEqual(result(out.results[0]!), { ok: new Uint8Array(0) });
    const next = out.header.state_root;
    const count = (await query(next, 'evm.SimulateCall', {
      gas_price: new Uint8Array(0),
      gas_limit: 100_000n,
      caller: eth(bob.address),
      address: eth(address),
      value: new Uint8Array(0),
      data: fromHex(call('count').slice(2)),
    })) as Uint8Array;
    assert.equal(BigInt(hex(count)), 6n);
    const logs = eventsOf(out, 0).get(EventKeys.evmLog) as Array<{
      address: Uint8Array;
      topics: Uint8Array[];
      data: Uint8Array;
    }>;
    assert.equal(logs.length, 1);
    assert.equal(hex(logs[0]!.address), address);
    const parsed = Counter!.abi.parseLog({ topics: logs[0]!.topics.map(hex), data: hex(logs[0]!.data) })!;
    assert.equal(parsed.name, 'Incremented');
    assert.equal(parsed.args.by, bob.address);
    assert.equal(parsed.args.newCount, 6n);
  });

  it('reverts with the custom error data and Error(string), undoing the call but keeping fee and nonce', async () => {
    const { address, after, run, query, balance, nonce } = await deployed(5n);
    const out = await run(after, [
      await signed(bob, { nonce: 0, to: address, data: call('add', [101n]) }),
      await signed(bob, { nonce: 1, to: address, data: call('fail', ['no way']) }),
    ]);
    const custom = result(out.results[0]!).fail!;
    assert.equal(custom.module, 'evm');
    assert.equal(custom.code, 8);
    const data = hex(fromBase64(custom.message.replace(/^reverted: /, '')));
    const err = Counter!.abi.parseError(data)!;
    assert.equal(err.name, 'TooBig');
    assert.equal(err.args[0], 101n);
    const reason = result(out.results[1]!).fail!;
    const decoded = AbiCoder.defaultAbiCoder().decode(
      ['string'],
      `0x${toHex(fromBase64(reason.message.slice(10))).slice(8)}`,
    );
    assert.equal(decoded[0], 'no way');
    const next = out.header.state_root;
    const slot0 = (await query(next, 'evm.Storage', {
      address: eth(address),
      index: new Uint8Array(32),
    })) as Uint8Array;
    assert.equal(BigInt(hex(slot0)), 5n, 'the reverted add changed nothing');
    assert.equal(nonce(next, bob.address), 2n);
    assert.ok(balance(next, bob.address) < 1000n * ETHER, 'the fee of a reverted transaction is paid');
    assert.equal(eventsOf(out, 0).get(EventKeys.evmLog), undefined, 'no logs for a reverted call');
    assert.ok(eventsOf(out, 0).get(EventKeys.gasUsed), 'gas used is reported for a reverted call');
  });

  it('deploys by CREATE2 at the address ethers getCreate2Address computes', async () => {
    const { address, after, run, query } = await deployed(9n);
    const salt = keccak256('0x1234');
    const out = await run(after, [
      await signed(alice, { nonce: 1, to: address, data: call('deploy', [salt]) }),
    ]);
    const ok = result(out.results[0]!).ok as Uint8Array;
    const [child] = Counter!.abi.decodeFunctionResult('deploy', hex(ok));
    const initCode = Child!.bytecode + AbiCoder.defaultAbiCoder().encode(['uint256'], [9n]).slice(2);
    assert.equal(child, getCreate2Address(address, salt, keccak256(initCode)));
    const code = (await query(out.header.state_root, 'evm.Code', {
      address: eth(child as string),
    })) as Uint8Array;
    assert.equal(hex(code), Child!.deployedBytecode);
  });

  it('undoes a reverted inner call while keeping the outer frame writes (journaling)', async () => {
    const { address, after, run, query } = await deployed(5n);
    const out = await run(after, [
      await signed(alice, { nonce: 1, to: address, data: call('nested', [77n]) }),
    ]);
    const [innerOk] = Counter!.abi.decodeFunctionResult('nested', hex(result(out.results[0]!).ok));
    assert.equal(innerOk, false);
    const read = async (fn: string) =>
      BigInt(
        hex(
          await query(out.header.state_root, 'evm.SimulateCall', {
            gas_price: new Uint8Array(0),
            gas_limit: 100_000n,
            caller: eth(alice.address),
            address: eth(address),
            value: new Uint8Array(0),
            data: fromHex(call(fn).slice(2)),
          }),
        ),
      );
    assert.equal(await read('count'), 77n);
    assert.equal(await read('other'), 0n, 'the inner frame write was reverted');
  });

  it('runs Cancun transient storage, block values from the runtime round, and the 0x01/0x02 precompiles', async () => {
    const { address, after, run } = await deployed(5n);
    const message = keccak256('0xabcdef');
    const sig = alice.signingKey.sign(message);
    const out = await run(
      after,
      [
        await signed(alice, { nonce: 1, to: address, data: call('transient', [42n]) }),
        await signed(alice, { nonce: 2, to: address, data: call('info') }),
        await signed(alice, { nonce: 3, to: address, data: call('sha', ['0x616263']) }),
        await signed(alice, { nonce: 4, to: address, data: call('recover', [message, sig.v, sig.r, sig.s]) }),
      ],
      { round: 42n, timestamp: 1_234_567n },
    );
    const ok = (i: number) => hex(result(out.results[i]!).ok);
    assert.equal(Counter!.abi.decodeFunctionResult('transient', ok(0))[0], 42n);
    const info = Counter!.abi.decodeFunctionResult('info', ok(1));
    assert.deepEqual(
      [info[0], info[1], info[2], info[3], info[4], info[5]],
      [CHAIN_ID, 42n, 1_234_567n, 15_000_000n, '0x0000000000000000000000000000000000000000', 0n],
    );
    assert.equal(ok(2), `0x${createHash('sha256').update('abc').digest('hex')}`);
    assert.equal(Counter!.abi.decodeFunctionResult('recover', ok(3))[0], alice.address);
  });

  it('moves value to an account and charges exactly gas used × price, refunding the rest', async () => {
    const env = setup();
    const raw = await signed(alice, { nonce: 0, to: bob.address, value: 3n * ETHER, gasLimit: 100_000n });
    const out = await env.run(env.root, [raw]);
    assert.deepEqual(result(out.results[0]!), { ok: new Uint8Array(0) });
    const after = out.header.state_root;
    const used = BigInt((eventsOf(out, 0).get(EventKeys.gasUsed)![0] as { amount: number }).amount);
    // SDK gas (transaction bytes + one signature) + Ethereum intrinsic 21000.
    assert.equal(used, BigInt(raw.length) + 1_000n + 21_000n);
    assert.equal(env.balance(after, bob.address), 1003n * ETHER);
    assert.equal(env.balance(after, alice.address), 997n * ETHER - used * GWEI);
    assert.equal(env.fees(after), used * GWEI);
    const transfer = eventsOf(out, 0).get(EventKeys.transfer)![0] as { amount: [Uint8Array, Uint8Array] };
    assert.equal(BigInt(hex(transfer.amount[0])), used * GWEI);
  });

  it('accepts all three transaction types from ethers and knows them by their Ethereum hash', async () => {
    const env = setup();
    const legacy = await alice.signTransaction({
      chainId: CHAIN_ID,
      nonce: 0,
      to: bob.address,
      value: 1n,
      gasLimit: 50_000n,
      gasPrice: GWEI,
      type: 0,
    });
    const al = await alice.signTransaction({
      chainId: CHAIN_ID,
      nonce: 1,
      to: bob.address,
      value: 1n,
      gasLimit: 60_000n,
      gasPrice: GWEI,
      type: 1,
      accessList: [{ address: bob.address, storageKeys: [solidityPackedKeccak256(['uint256'], [1])] }],
    });
    const fm = await alice.signTransaction({
      chainId: CHAIN_ID,
      nonce: 2,
      to: bob.address,
      value: 1n,
      gasLimit: 50_000n,
      maxFeePerGas: 3n * GWEI,
      maxPriorityFeePerGas: GWEI,
      type: 2,
    });
    const { wrap } = await import('./helpers.ts');
    const out = await env.run(env.root, [wrap(legacy), wrap(al), wrap(fm)]);
    assert.deepEqual(
      out.results.map((r) => result(r).ok),
      [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)],
    );
    assert.equal(env.balance(out.header.state_root, bob.address), 1000n * ETHER + 3n);
    const { decodeEthTransaction } = await import(
      '../../../../../src/runtime/process/paratimes/evm/raw_tx.ts'
    );
    const { evmCommon } = await import('../../../../../src/runtime/process/paratimes/evm/engine.ts');
    for (const raw of [legacy, al, fm]) {
      const tx = decodeEthTransaction(fromHex(raw.slice(2)), evmCommon(CHAIN_ID), 0n);
      assert.equal(hex(tx.hash), Transaction.from(raw).hash);
      assert.equal(hex(tx.sender), alice.address.toLowerCase());
    }
  });
});
