/**
 * Every value printed by /work/shared/tools/oasis-client-vectors.mjs (computed by @oasisprotocol/client and
 * client-rt 1.3.0), reproduced byte for byte by our own code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/codec/bytes.ts';
import { encodeCanonical } from '../../src/codec/cbor.ts';
import { quantityToBytes } from '../../src/codec/quantity.ts';
import {
  encodeSignedTransaction,
  encodeTransaction,
  signTransaction,
  transactionHashHex,
} from '../../src/consensus/api/transaction.ts';
import {
  addressFromPublicKey,
  addressFromRuntimeId,
  addressToBech32,
  ReservedAddresses,
} from '../../src/crypto/address.ts';
import { Contexts, fullContext, signerMessage } from '../../src/crypto/context.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { sha512_256 } from '../../src/crypto/hash.ts';
import { signBytes } from '../../src/crypto/signature.ts';

const k1 = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(1));
const k2 = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(2));
const addr2 = addressFromPublicKey(k2.publicKey);
const RUNTIME_ID = fromHex('8000000000000000000000000000000000000000000000000000000000000000');

const TRANSFER = {
  nonce: 0n,
  fee: { amount: 0n, gas: 1000n },
  method: 'staking.Transfer',
  body: { to: addr2, amount: quantityToBytes(1000n) },
};
const TRANSFER_CBOR =
  'a463666565a2636761731903e866616d6f756e744064626f6479a262746f55007e970ce536b580a9bd8e7a8bd4c484647223c9f8' +
  '66616d6f756e744203e8656e6f6e636500666d6574686f64707374616b696e672e5472616e73666572';

describe('official client vectors reproduced by our code', () => {
  it('keys and addresses', () => {
    assert.equal(toHex(k1.publicKey), '8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c');
    assert.equal(toHex(addressFromPublicKey(k1.publicKey)), '001b69e1ee385eb5b7a5da1803ba25ee7aef631d89');
    assert.equal(
      addressToBech32(addressFromPublicKey(k1.publicKey)),
      'oasis1qqdknc0w8p0ttda9mgvq8w39aeaw7cca3yaejt53',
    );
    assert.equal(toHex(k2.publicKey), '8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394');
    assert.equal(toHex(addr2), '007e970ce536b580a9bd8e7a8bd4c484647223c9f8');
    assert.equal(addressToBech32(addr2), 'oasis1qplfwr89x66cp2da3eagh4xys3j8yg7flqp7csf9');
    assert.equal(
      addressToBech32(ReservedAddresses.commonPool),
      'oasis1qrmufhkkyyf79s5za2r8yga9gnk4t446dcy3a5zm',
    );
    assert.equal(
      addressToBech32(ReservedAddresses.feeAccumulator),
      'oasis1qqnv3peudzvekhulf8v3ht29z4cthkhy7gkxmph5',
    );
    assert.equal(
      addressToBech32(ReservedAddresses.governanceDeposits),
      'oasis1qp65laz8zsa9a305wxeslpnkh9x4dv2h2qhjz0ec',
    );
    assert.equal(
      addressToBech32(addressFromRuntimeId(RUNTIME_ID)),
      'oasis1qqdpkrh0v9jn80kymcvgk57v38x38qwdxvvtnjfm',
    );
  });

  const transferVectors = [
    {
      chainContext: 'test-chain-context',
      signerMessage: 'cde5dfd1e72f781211e5c4949b5d56d70e5799c26f2aa6ba2ce308f512752d19',
      signature:
        '6cb8231dd6ced0665c3ba102205885b3867d7d3285b7187ec33a38c065db72e099bdfefcfbcaa0e86f2a0196ac7951c8bbc84692978011ccf84a14411de19409',
      hash: '2ed4ad509e59079e23a2318cd43ff3ffe377dcfcd39aebebf10f612d4812f75f',
    },
    {
      chainContext: 'bb3d748def55bdfb797a2ac53ee6ee141e54cd2ab2dc2375f4a0703a178e6e55',
      signerMessage: '097a701dcc0536944888959bb55f01f364be9277eb17dc6725fa39f236be688a',
      signature:
        '1b6fbdb2458ac5cca2948175a1305e3deef19e28a073c23ff303c15b13bf01fd8d030b0508c7eab0a199eea1f5686c60325a7f621b971d03068afc0f2c054d0f',
      hash: 'bda3071c33cbce39126f54a5787bfb3ccbf79abedc016a8570c10f5fcfeb7273',
    },
  ];
  for (const v of transferVectors) {
    it(`staking.Transfer under chain context ${v.chainContext.slice(0, 18)}`, () => {
      assert.equal(toHex(encodeTransaction(TRANSFER)), TRANSFER_CBOR);
      const context = fullContext(Contexts.transaction, v.chainContext);
      assert.equal(context, `oasis-core/consensus: tx for chain ${v.chainContext}`);
      assert.equal(toHex(signerMessage(context, fromHex(TRANSFER_CBOR))), v.signerMessage);
      const signed = signTransaction(k1, TRANSFER, v.chainContext);
      assert.equal(toHex(signed.signature.signature), v.signature);
      const signedCbor = encodeSignedTransaction(signed);
      const expectedSigned =
        `a2697369676e6174757265a2697369676e61747572655840${v.signature}6a7075626c69635f6b65795820` +
        `${toHex(k1.publicKey)}73756e747275737465645f7261775f76616c7565585d${TRANSFER_CBOR}`;
      assert.equal(toHex(signedCbor), expectedSigned);
      assert.equal(transactionHashHex(signedCbor), v.hash);
    });
  }

  it('CBOR corner cases', () => {
    assert.equal(toHex(encodeCanonical({ nonce: (1n << 64n) - 1n })), 'a1656e6f6e63651bffffffffffffffff');
    assert.equal(toHex(encodeCanonical({ amount: quantityToBytes(0n) })), 'a166616d6f756e7440');
    assert.equal(
      toHex(encodeCanonical({ amount: quantityToBytes(10n ** 18n) })),
      'a166616d6f756e74480de0b6b3a7640000',
    );
    assert.equal(
      toHex(encodeCanonical({ method: 1, fee: 2, nonce: 3, body: 4 })),
      'a4636665650264626f647904656e6f6e636503666d6574686f6401',
    );
  });

  it('runtime-sdk transaction: chain context derivation, body encoding and signature', () => {
    const consensusChainContext = 'test-chain-context';
    const rtChainContext = toHex(sha512_256(concatBytes(RUNTIME_ID, utf8(consensusChainContext))));
    assert.equal(rtChainContext, '3aa608b1c45966c145ebbe252340a5e8307acba2579b8c248aa1fd63921c2297');
    assert.equal(
      fullContext(Contexts.runtimeTransaction, rtChainContext),
      `oasis-runtime-sdk/tx: v0 for chain ${rtChainContext}`,
    );
    const body = encodeCanonical({
      v: 1,
      call: {
        method: 'accounts.Transfer',
        body: { to: addr2, amount: [quantityToBytes(1000n), new Uint8Array()] },
      },
      ai: {
        si: [{ address_spec: { signature: { ed25519: k1.publicKey } }, nonce: 0 }],
        fee: { amount: [new Uint8Array(), new Uint8Array()], gas: 1000, consensus_messages: 0 },
      },
    });
    assert.equal(
      toHex(body),
      'a3617601626169a262736981a2656e6f6e6365006c616464726573735f73706563a1697369676e6174757265a16765643235353139' +
        '58208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c63666565a3636761731903e866616d6f756e74' +
        '82404072636f6e73656e7375735f6d65737361676573006463616c6ca264626f6479a262746f55007e970ce536b580a9bd8e7a8bd4' +
        'c484647223c9f866616d6f756e74824203e840666d6574686f64716163636f756e74732e5472616e73666572',
    );
    const sig = signBytes(k1, Contexts.runtimeTransaction, body, rtChainContext);
    assert.equal(
      toHex(encodeCanonical([body, [{ signature: sig.signature }]])),
      `8258cb${toHex(body)}81a1697369676e61747572655840` +
        'b5f77b23e22adf052bc1594a30e51922714951675e4affe241163a0e709b1cdd55e7dd2ecffd8a6aed8b6eb66e5e01db811a8374cdbb787fe9f1f4d4908f2909',
    );
  });
});
