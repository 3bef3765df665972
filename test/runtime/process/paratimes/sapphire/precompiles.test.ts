import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PrecompileInput } from '@ethereumjs/evm';
import { x25519 } from '@noble/curves/ed25519.js';
import { sha256, sha384, sha512, sha512_256 } from '@noble/hashes/sha2.js';
import { AbiCoder, getCreateAddress, hexlify, keccak256, toUtf8Bytes } from 'ethers';
import { fromHex, toHex, utf8 } from '../../../../../src/codec/bytes.ts';
import { gasPrecompiles } from '../../../../../src/runtime/process/paratimes/sapphire/gas_precompiles.ts';
import { sha2Precompiles } from '../../../../../src/runtime/process/paratimes/sapphire/sha2_precompiles.ts';
import {
  generateKeyPair,
  SigningAlg,
  sign,
} from '../../../../../src/runtime/process/paratimes/sapphire/signing.ts';
import { signingPrecompiles } from '../../../../../src/runtime/process/paratimes/sapphire/signing_precompiles.ts';
import { sapphireContracts } from '../evm/fixtures/sapphire_contracts.ts';
import { alice, EventKeys, eth, eventsOf, result, signed } from '../evm/helpers.ts';
import { confidential } from './helpers.ts';

const abi = AbiCoder.defaultAbiCoder();
const { SapphireLib } = sapphireContracts as Record<string, (typeof sapphireContracts)[string]>;

/** Runs precompile `fn` on `data` with `gasLimit`, outside any contract (no calling frame). */
function direct(fn: unknown, data: string, gasLimit = 1_000_000n) {
  return (fn as (input: PrecompileInput) => unknown)({
    data: fromHex(data.slice(2)),
    gasLimit,
  } as PrecompileInput) as {
    executionGasUsed: bigint;
    returnValue: Uint8Array;
    exceptionError?: { error: string };
  };
}

const [generate, signer, verifier] = signingPrecompiles().map((p) => (p as { function: unknown }).function);
const [gasUsed, padGas] = gasPrecompiles().map((p) => (p as { function: unknown }).function);
const SEED = new Uint8Array(32).fill(7);

describe('Sapphire signing and gas precompiles (runtime-sdk gas)', () => {
  it('charges key generation, signing and verification by scheme and input words', () => {
    const gen = (alg: number) => abi.encode(['uint256', 'bytes'], [alg, SEED]);
    assert.equal(direct(generate!, gen(0)).executionGasUsed, 1_000n);
    assert.equal(direct(generate!, gen(3)).executionGasUsed, 1_500n);
    assert.equal(direct(generate!, gen(7)).executionGasUsed, 4_000n);
    const [publicKey, secretKey] = abi.decode(['bytes', 'bytes'], direct(generate!, gen(0)).returnValue);
    assert.equal(publicKey, hexlify(generateKeyPair(0, SEED).publicKey));
    assert.equal(secretKey, hexlify(SEED));

    const signInput = abi.encode(
      ['uint256', 'bytes', 'bytes', 'bytes'],
      [0, SEED, toUtf8Bytes('ctx'), '0x1234'],
    );
    const words = BigInt(Math.ceil((signInput.length - 2) / 64));
    const signed0 = direct(signer!, signInput);
    assert.equal(signed0.executionGasUsed, 1_500n + 8n * words);
    assert.equal(toHex(signed0.returnValue), toHex(sign(0, SEED, utf8('ctx'), fromHex('1234'))));
    const verifyInput = abi.encode(
      ['uint256', 'bytes', 'bytes', 'bytes', 'bytes'],
      [0, publicKey, toUtf8Bytes('ctx'), '0x1234', signed0.returnValue],
    );
    const verified = direct(verifier!, verifyInput);
    assert.equal(verified.executionGasUsed, 2_000n + 8n * BigInt(Math.ceil((verifyInput.length - 2) / 64)));
    assert.equal(abi.decode(['bool'], verified.returnValue)[0], true);
    const digest = keccak256('0x1234');
    const prehashed = abi.encode(['uint256', 'bytes', 'bytes', 'bytes'], [4, SEED, digest, '0x']);
    assert.equal(direct(signer!, prehashed).executionGasUsed, 3_000n, 'prehashed schemes have no word cost');
  });

  it('fails (using all gas) on unknown schemes, Sr25519 and bad keys; runs out of gas below the cost', () => {
    for (const data of [
      abi.encode(['uint256', 'bytes'], [50, SEED]),
      abi.encode(['uint256', 'bytes'], [6, SEED]),
      abi.encode(['uint256', 'bytes'], [0, SEED.subarray(1)]),
      '0x1234',
    ]) {
      const out = direct(generate!, data, 5_000n);
      assert.ok(out.exceptionError, data);
      assert.equal(out.executionGasUsed, 5_000n);
    }
    const short = direct(generate!, abi.encode(['uint256', 'bytes'], [3, SEED]), 1_499n);
    assert.equal(short.exceptionError?.error, 'out of gas');
  });

  it('GAS_USED and PAD_GAS outside a contract count only their own gas, as runtime-sdk’s tests expect', () => {
    const used = direct(gasUsed!, '0x');
    assert.equal(used.executionGasUsed, 10n);
    assert.equal(abi.decode(['uint64'], used.returnValue)[0], 10n);
    assert.ok(direct(padGas!, abi.encode(['uint128'], [1])).exceptionError, 'pad below what is used fails');
    assert.equal(direct(padGas!, abi.encode(['uint128'], [20])).executionGasUsed, 20n);
    assert.equal(
      direct(padGas!, abi.encode(['uint128'], [20_000]), 10_560n).exceptionError?.error,
      'out of gas',
    );
  });

  it('SHA-512/256, SHA-512 and SHA-384 cost 115 + 13 per word', () => {
    const input = `0x${'ab'.repeat(70)}`;
    const outs = sha2Precompiles().map((p) => direct((p as { function: unknown }).function, input));
    assert.deepEqual(
      outs.map((o) => toHex(o.returnValue)),
      [sha512_256, sha512, sha384].map((h) => toHex(h(fromHex('ab'.repeat(70))))),
    );
    for (const o of outs) assert.equal(o.executionGasUsed, 115n + 13n * 3n);
  });
});

describe('Sapphire.sol (@oasisprotocol/sapphire-contracts) on the confidential EVM', () => {
  async function deployed() {
    const t = confidential();
    const out = await t.run(t.root, [
      await signed(alice, { nonce: 0, data: SapphireLib!.bytecode, gasLimit: 5_000_000n }),
    ]);
    assert.ok(result(out.results[0]!).ok, JSON.stringify(result(out.results[0]!).fail));
    const address = getCreateAddress({ from: alice.address, nonce: 0 });
    const call = async (fn: string, args: unknown[] = [], root = out.header.state_root) => {
      const output = (await t.query(root, 'evm.SimulateCall', {
        gas_price: new Uint8Array(0),
        gas_limit: 5_000_000n,
        caller: new Uint8Array(20),
        address: eth(address),
        value: new Uint8Array(0),
        data: fromHex(SapphireLib!.abi.encodeFunctionData(fn, args).slice(2)),
      })) as Uint8Array;
      return SapphireLib!.abi.decodeFunctionResult(fn, output);
    };
    return { t, address, call, root: out.header.state_root };
  }

  it('generates, signs and verifies with every offered scheme', async () => {
    const { call } = await deployed();
    const message = toUtf8Bytes('message');
    for (const alg of [0, 1, 3]) {
      const [ok] = await call('signAndVerify', [alg, SEED, toUtf8Bytes('ctx'), message]);
      assert.equal(ok, true, `scheme ${alg}`);
    }
    for (const [alg, digest] of [
      [2, sha512(message)],
      [4, fromHex(keccak256(message).slice(2))],
      [5, sha256(message)],
      [7, sha256(message)],
      [8, sha384(message)],
    ] as const) {
      const seed = alg === 8 ? new Uint8Array(48).fill(7) : SEED;
      const [ok] = await call('signAndVerify', [alg, seed, digest, '0x']);
      assert.equal(ok, true, `scheme ${alg}`);
    }
    const [publicKey, secretKey] = await call('keyPair', [SigningAlg.Secp256k1Oasis, SEED]);
    const [signature] = await call('sign', [
      SigningAlg.Secp256k1Oasis,
      secretKey,
      toUtf8Bytes('ctx'),
      message,
    ]);
    const verifyArgs = (msg: Uint8Array) => [
      SigningAlg.Secp256k1Oasis,
      publicKey,
      toUtf8Bytes('ctx'),
      msg,
      signature,
    ];
    assert.deepEqual([...(await call('verify', verifyArgs(message)))], [true]);
    assert.deepEqual([...(await call('verify', verifyArgs(toUtf8Bytes('other'))))], [false]);
    await assert.rejects(call('keyPair', [6, SEED]), 'Sr25519 is refused');
  });

  it('makes Curve25519 key pairs, SHA-2 digests, and seals with random keys', async () => {
    const { call } = await deployed();
    const [pk, sk] = await call('curve25519', [toUtf8Bytes('pers')]);
    assert.equal(pk, hexlify(x25519.getPublicKey(fromHex((sk as string).slice(2)))));
    const [h256, h512, h384] = await call('hashes', [toUtf8Bytes('abc')]);
    assert.equal(h256, hexlify(sha512_256(utf8('abc'))));
    assert.equal(h512, hexlify(sha512(utf8('abc'))));
    assert.equal(h384, hexlify(sha384(utf8('abc'))));
    const [ciphertext, opened] = await call('sealRoundTrip', [toUtf8Bytes('a secret')]);
    assert.equal(opened, hexlify(toUtf8Bytes('a secret')));
    assert.equal(((ciphertext as string).length - 2) / 2, 8 + 16, 'ciphertext with its tag');
  });

  it('reports gas used so far and pads both branches of a secret-dependent path to the same gas', async () => {
    const { t, call, root } = await deployed();
    const [first, second] = await call('gasUsedTwice');
    assert.ok(first > 10n && second > first, `${first} then ${second}`);
    const data = (heavy: boolean, target: number) =>
      SapphireLib!.abi.encodeFunctionData('padded', [heavy, target]);
    const out = await t.run(root, [
      await signed(alice, {
        nonce: 1,
        to: getCreateAddress({ from: alice.address, nonce: 0 }),
        data: data(true, 60_000),
      }),
      await signed(alice, {
        nonce: 2,
        to: getCreateAddress({ from: alice.address, nonce: 0 }),
        data: data(false, 60_000),
      }),
      await signed(alice, {
        nonce: 3,
        to: getCreateAddress({ from: alice.address, nonce: 0 }),
        data: data(true, 100),
      }),
    ]);
    const usedAfterPad = (i: number) => {
      assert.ok(result(out.results[i]!).ok !== undefined, `tx ${i} succeeded`);
      const [log] = eventsOf(out, i).get(EventKeys.evmLog) as Array<{ data: Uint8Array }>;
      return abi.decode(['uint64'], log!.data)[0] as bigint;
    };
    const heavy = usedAfterPad(0);
    assert.equal(usedAfterPad(1), heavy, 'the light branch costs what the heavy one does');
    assert.ok(heavy >= 60_000n && heavy < 61_000n, `${heavy}`);
    assert.ok(result(out.results[2]!).fail, 'padding below the gas already used fails');
  });
});
