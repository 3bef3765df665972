import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import { Contexts } from '../../src/crypto/context.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import {
  multiSignedDecoder,
  multiSignValue,
  openMultiSigned,
  openSigned,
  signedDecoder,
  signValue,
  verifySignature,
} from '../../src/crypto/signature.ts';
import { CodecError, CodedError } from '../../src/errors.ts';

const a = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(3));
const b = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(4));
const isSignatureError = (e: unknown) => CodedError.is(e, 'signature', 1);

describe('signed envelopes', () => {
  it('open only under the context and chain they were signed for', () => {
    const signed = signValue(a, Contexts.transaction, { x: 1 }, 'chain-a');
    assert.deepEqual({ ...(openSigned(signed, Contexts.transaction, 'chain-a') as object) }, { x: 1 });
    assert.throws(() => openSigned(signed, Contexts.transaction, 'chain-b'), isSignatureError);
    assert.throws(() => openSigned(signed, Contexts.registerEntity), isSignatureError);
    assert.equal(verifySignature(signed.signature, Contexts.transaction, signed.untrusted_raw_value), false);
  });

  it('round-trip through CBOR with strict decoders', () => {
    const signed = signValue(a, Contexts.registerEntity, { v: 2 });
    const back = signedDecoder(decodeCanonical(encodeCanonical(signed)), 'signed');
    assert.ok(openSigned(back, Contexts.registerEntity));
    const extra = decodeCanonical(encodeCanonical({ ...signed, extra: 1 }));
    assert.throws(() => signedDecoder(extra, 'signed'), CodecError);
    const shortKey = { ...signed, signature: { ...signed.signature, public_key: new Uint8Array(31) } };
    assert.throws(
      () => signedDecoder(decodeCanonical(encodeCanonical(shortKey)), 'signed'),
      /expected 32 bytes/,
    );
  });

  it('multi-signed: every signature checked, duplicates and empty lists refused', () => {
    const ms = multiSignValue([a, b], Contexts.registerNode, { n: 1 });
    assert.ok(openMultiSigned(ms, Contexts.registerNode));
    assert.ok(
      openMultiSigned(multiSignedDecoder(decodeCanonical(encodeCanonical(ms)), 'ms'), Contexts.registerNode),
    );
    assert.throws(() => openMultiSigned({ ...ms, signatures: [] }, Contexts.registerNode), isSignatureError);
    const dup = { ...ms, signatures: [ms.signatures[0]!, ms.signatures[0]!] };
    assert.throws(() => openMultiSigned(dup, Contexts.registerNode), isSignatureError);
    const forged = {
      ...ms,
      signatures: [ms.signatures[0]!, { ...ms.signatures[1]!, public_key: a.publicKey }],
    };
    assert.throws(() => openMultiSigned(forged, Contexts.registerNode), isSignatureError);
    const tampered = { ...ms, untrusted_raw_value: encodeCanonical({ n: 2 }) };
    assert.throws(() => openMultiSigned(tampered, Contexts.registerNode), isSignatureError);
  });
});
