import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AEAD } from '@oasisprotocol/deoxysii';
import { fetchRuntimePublicKey, X25519DeoxysII } from '@oasisprotocol/sapphire-paratime';
import { AbiCoder, getCreateAddress, hexlify, keccak256, toUtf8Bytes } from 'ethers';
import { fromHex, toHex } from '../../../../../src/codec/bytes.ts';
import { type CborValue, decodeCanonical, encodeCanonical } from '../../../../../src/codec/cbor.ts';
import { callDataKeyPairId } from '../../../../../src/runtime/process/paratimes/sapphire/call_data_keys.ts';
import { runtimeChainContext } from '../../../../../src/runtime/process/sdk/transaction.ts';
import { verifyPublicKey } from '../../../../../src/runtime/protocol/keymanager.ts';
import { contracts } from '../evm/fixtures/contracts.ts';
import { alice, CHAIN, eth, GWEI, RUNTIME_ID, result, signed } from '../evm/helpers.ts';
import { confidential, secrets } from './helpers.ts';

const EPOCH = 1n; // the epoch of the helpers' batches and queries
const SECRET = keccak256(toUtf8Bytes('the secret'));

const { Secret } = contracts as Record<string, (typeof contracts)[string]>;

async function deployed() {
  const t = confidential();
  const publicKey = (
    (await t.query(t.root, 'core.CallDataPublicKey', null)) as { public_key: { key: Uint8Array } }
  ).public_key.key;
  const cipher = () => X25519DeoxysII.ephemeral(publicKey, Number(EPOCH));
  const deploy = await signed(alice, { nonce: 0, data: cipher().encryptCall(Secret!.bytecode) as string });
  const out = await t.run(t.root, [deploy]);
  const address = getCreateAddress({ from: alice.address, nonce: 0 });
  assert.equal(
    toHex(result(out.results[0]!).ok as Uint8Array),
    address.slice(2).toLowerCase(),
    'the address stays public',
  );
  return { t, cipher, address, root: out.header.state_root };
}

describe('confidential EVM (sapphire)', () => {
  it('publishes the key manager’s signed call-data key of the epoch', async () => {
    const t = confidential();
    const answer = (await t.query(t.root, 'core.CallDataPublicKey', null)) as {
      epoch: bigint;
      public_key: { key: Uint8Array; checksum: Uint8Array; signature: Uint8Array; expiration: bigint };
    };
    assert.equal(answer.epoch, EPOCH);
    const keyPairId = callDataKeyPairId(runtimeChainContext(RUNTIME_ID, CHAIN), EPOCH);
    const request = { runtime_id: RUNTIME_ID, key_pair_id: keyPairId, epoch: EPOCH };
    assert.deepEqual(answer.public_key, secrets.keyPair(request).public_key);
    assert.ok(verifyPublicKey(answer.public_key, secrets.signer.publicKey, request));
  });

  it('answers sapphire-paratime’s own key fetch (eth_call to the SUBCALL precompile)', async () => {
    const t = confidential();
    const upstream = {
      request: async ({ method, params }: { method: string; params?: object | readonly unknown[] }) => {
        if (method === 'eth_chainId') return '0xa514';
        assert.equal(method, 'eth_call');
        const { to, data } = (params as readonly unknown[])[0] as { to: string; data: string };
        const out = (await t.query(t.root, 'evm.SimulateCall', {
          gas_price: new Uint8Array(0),
          gas_limit: 1_000_000n,
          caller: new Uint8Array(20),
          address: eth(to),
          value: new Uint8Array(0),
          data: fromHex(data.slice(2)),
        })) as Uint8Array;
        return hexlify(out);
      },
    };
    const fetched = await fetchRuntimePublicKey({ upstream });
    const answer = (await t.query(t.root, 'core.CallDataPublicKey', null)) as {
      epoch: bigint;
      public_key: { key: Uint8Array; checksum: Uint8Array; signature: Uint8Array };
    };
    assert.equal(BigInt(fetched.epoch), answer.epoch);
    assert.equal(toHex(fetched.key), toHex(answer.public_key.key));
    assert.equal(toHex(fetched.signature), toHex(answer.public_key.signature));
  });

  it('runs an encrypted transaction and an encrypted call, sealing results for the caller only', async () => {
    const { t, cipher, address, root } = await deployed();
    const setData = Secret!.abi.encodeFunctionData('set', [SECRET]);
    const sender = cipher();
    const tx = await signed(alice, { nonce: 1, to: address, data: sender.encryptCall(setData) as string });
    assert.ok(!toHex(tx).includes(SECRET.slice(2)), 'the secret is not in the transaction');
    const out = await t.run(root, [tx]);
    const sealed = result(out.results[0]!).ok as Uint8Array;
    assert.equal(hexlify(sender.decryptResult(sealed) as Uint8Array), '0x');
    const stateRoot = out.header.state_root;

    const reader = cipher();
    const simulate = (data: Uint8Array, caller = eth(alice.address)) =>
      t.query(stateRoot, 'evm.SimulateCall', {
        gas_price: new Uint8Array(0),
        gas_limit: 1_000_000n,
        caller,
        address: eth(address),
        value: new Uint8Array(0),
        data,
      }) as Promise<Uint8Array>;
    const got = await simulate(
      reader.encryptCall(fromHex(Secret!.abi.encodeFunctionData('get').slice(2))) as Uint8Array,
    );
    assert.ok(!toHex(got).includes(SECRET.slice(2)), 'the result is sealed');
    assert.equal(hexlify(reader.decryptResult(got) as Uint8Array), SECRET);
    // At rest the secret is only ciphertext: no state key or value holds it, and evm.Storage sees nothing.
    const secretBytes = Buffer.from(SECRET.slice(2), 'hex');
    let confidentialEntries = 0;
    for (const [key, value] of t.store.reader(stateRoot).entries(new Uint8Array(0))) {
      assert.ok(
        !Buffer.from(key).includes(secretBytes) && !Buffer.from(value).includes(secretBytes),
        `plaintext at ${toHex(key)}`,
      );
      if (
        Buffer.from(key)
          .subarray(0, 4)
          .equals(Buffer.from([0x65, 0x76, 0x6d, 0x04]))
      )
        confidentialEntries++;
    }
    assert.equal(confidentialEntries, 1, 'one sealed slot');
    const storage = await t.query(stateRoot, 'evm.Storage', {
      address: eth(address),
      index: new Uint8Array(32),
    });
    assert.deepEqual(storage, new Uint8Array(32));
    // Plain calls still work, and a view never learns who asks.
    const plain = await simulate(fromHex(Secret!.abi.encodeFunctionData('whoCalls').slice(2)));
    assert.equal(AbiCoder.defaultAbiCoder().decode(['address'], plain)[0], `0x${'00'.repeat(20)}`);
  });

  it('fails a transaction whose envelope does not open with core 18, keeping its nonce and fee', async () => {
    const { t, cipher, address, root } = await deployed();
    const sealed = cipher().encryptCall(fromHex(Secret!.abi.encodeFunctionData('set', [SECRET]).slice(2)));
    const { body } = decodeCanonical(sealed as Uint8Array) as { body: { data: Uint8Array } };
    body.data[0]! ^= 1;
    const envelope = encodeCanonical({ format: 1, body: body as unknown as CborValue });
    const out = await t.run(root, [
      await signed(alice, { nonce: 1, to: address, data: hexlify(envelope), gasPrice: GWEI }),
    ]);
    assert.deepEqual(
      { ...result(out.results[0]!).fail },
      {
        module: 'core',
        code: 18,
        message: 'decryption failed',
      },
    );
    assert.equal(t.nonce(out.header.state_root, alice.address), 2n);
  });

  it('refuses to execute a batch when the key manager cannot be reached', async () => {
    let up = true;
    const t = confidential(() => up);
    up = false;
    await assert.rejects(t.run(t.root, []), /key manager unavailable/);
  });
});

describe('Sapphire confidential precompiles', () => {
  const { SapphireCrypto } = contracts as Record<string, (typeof contracts)[string]>;

  async function crypto() {
    const t = confidential();
    const out = await t.run(t.root, [await signed(alice, { nonce: 0, data: SapphireCrypto!.bytecode })]);
    const address = getCreateAddress({ from: alice.address, nonce: 0 });
    const root = out.header.state_root;
    const call = async (fn: string, args: unknown[]) => {
      const data = fromHex(SapphireCrypto!.abi.encodeFunctionData(fn, args).slice(2));
      const output = (await t.query(root, 'evm.SimulateCall', {
        gas_price: new Uint8Array(0),
        gas_limit: 1_000_000n,
        caller: new Uint8Array(20),
        address: eth(address),
        value: new Uint8Array(0),
        data,
      })) as Uint8Array;
      return SapphireCrypto!.abi.decodeFunctionResult(fn, output);
    };
    return call;
  }

  it('derives the X25519 box key and seals/opens with Deoxys-II as the client library does', async () => {
    const call = await crypto();
    const secret = new Uint8Array(32).fill(3);
    const peer = X25519DeoxysII.ephemeral(new Uint8Array(32).fill(9));
    const [derived] = await call('derive', [hexlify(peer.publicKey), hexlify(secret)]);
    assert.equal(derived, hexlify(X25519DeoxysII.fromSecretKey(secret, peer.publicKey).secretKey));
    const key = keccak256(toUtf8Bytes('key'));
    const nonce = `0x${'07'.repeat(15)}${'00'.repeat(17)}`;
    const [sealed] = await call('seal', [key, nonce, toUtf8Bytes('hello'), toUtf8Bytes('ad')]);
    const oracle = new AEAD(fromHex(key.slice(2))).encrypt(
      fromHex('07'.repeat(15)),
      toUtf8Bytes('hello'),
      toUtf8Bytes('ad'),
    );
    assert.equal(sealed, hexlify(oracle));
    const [opened] = await call('open', [key, nonce, sealed, toUtf8Bytes('ad')]);
    assert.equal(opened, hexlify(toUtf8Bytes('hello')));
    await assert.rejects(call('open', [key, nonce, sealed, toUtf8Bytes('other ad')]), /reverted/);
  });

  it('returns random bytes that differ per call and come from key manager material, not the machine', async () => {
    const call = await crypto();
    const [a, b] = await call('twoRandoms', []);
    assert.equal((a as string).length, 66);
    assert.notEqual(a, b);
    const [again] = await call('twoRandoms', []);
    assert.equal(again, a, 'the same run position gives the same bytes on every node');
    const [capped] = await call('random', [5000n, '0x']);
    assert.equal((capped as string).length, 2 + 2 * 1024);
  });
});
