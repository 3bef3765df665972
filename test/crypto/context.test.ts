import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../src/codec/bytes.ts';
import { Contexts, fullContext, signerMessage, withRuntimeSuffix } from '../../src/crypto/context.ts';
import { sha512_256 } from '../../src/crypto/hash.ts';

describe('signature contexts', () => {
  it('binds chain-separated contexts to the chain, after any runtime suffix (as oasis-core orders them)', () => {
    const runtime = '8000000000000000000000000000000000000000000000000000000000000000';
    assert.equal(
      fullContext(withRuntimeSuffix(Contexts.executorCommitment, runtime), 'abc'),
      `oasis-core/roothash: executor commitment for runtime ${runtime} for chain abc`,
    );
    assert.equal(fullContext(Contexts.registerEntity), 'oasis-core/registry: register entity');
    assert.equal(fullContext(Contexts.registerNode, 'ignored'), 'oasis-core/registry: register node');
  });

  it('refuses a missing or over-long chain context and an over-long context', () => {
    assert.throws(() => fullContext(Contexts.transaction), /needs a chain context/);
    assert.throws(() => fullContext(Contexts.transaction, ''), /needs a chain context/);
    assert.ok(fullContext(Contexts.transaction, 'x'.repeat(64)));
    assert.throws(() => fullContext(Contexts.transaction, 'x'.repeat(65)), /longer than 64/);
    const long = withRuntimeSuffix(Contexts.proposal, 'y'.repeat(200));
    assert.throws(() => fullContext(long, 'x'.repeat(64)), /longer than 255/);
  });

  it('signs SHA-512/256(context || message), the SHA-512/256 of FIPS 180-4', () => {
    assert.equal(
      toHex(sha512_256(utf8('abc'))),
      '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23',
    );
    assert.equal(toHex(signerMessage('ctx', utf8('msg'))), toHex(sha512_256(utf8('ctxmsg'))));
  });
});
