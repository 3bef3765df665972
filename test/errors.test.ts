import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GrpcError } from '../src/api/errors.ts';
import { DoubleSignError } from '../src/consensus/api/durability.ts';
import { KeyFileError } from '../src/crypto/signer/key_files.ts';
import { CodecError, CodedError, namedError } from '../src/errors.ts';
import { GenesisError } from '../src/genesis/document.ts';
import { ConfigError } from '../src/node/config.ts';
import { RequestError } from '../src/p2p/api.ts';
import { FrameError } from '../src/p2p/frames.ts';
import { CheckTxFailedError } from '../src/runtime/node/client/api.ts';

describe('namedError', () => {
  it('makes a class of the given name on the given base', () => {
    class Plain extends namedError('PlainError') {}
    const plain = new Plain('boom', { cause: 1 });
    assert.ok(plain instanceof Plain && plain instanceof Error);
    assert.equal(plain.name, 'PlainError');
    assert.equal(plain.message, 'boom');
    assert.equal(plain.cause, 1);
    assert.match(String(plain.stack), /^PlainError: boom/);

    class Coded extends namedError('SomeCodedError', CodedError) {}
    const coded = new Coded('mod', 7, 'went wrong');
    assert.ok(coded instanceof CodedError);
    assert.deepEqual(
      [coded.name, coded.module, coded.code, coded.message],
      ['SomeCodedError', 'mod', 7, 'went wrong'],
    );
    assert.ok(CodedError.is(coded, 'mod', 7));
  });

  it("keeps every error class's name, message, fields and code", () => {
    const cases: Array<[Error, string, string]> = [
      [new ConfigError('bad'), 'ConfigError', 'bad'],
      [new DoubleSignError('again'), 'DoubleSignError', 'again'],
      [new GenesisError('field'), 'GenesisError', 'field'],
      [new RequestError('no answer'), 'RequestError', 'no answer'],
      [new KeyFileError('/k.pem', 'too open'), 'KeyFileError', '/k.pem: too open'],
      [new FrameError('short'), 'FrameError', 'short'],
      [new GrpcError(12, 'unknown method'), 'GrpcError', 'unknown method'],
      [new CodedError('staking', 3, 'x'), 'CodedError', 'x'],
      [new CodecError('tx.fee', 'not canonical'), 'CodecError', 'tx.fee: not canonical'],
    ];
    for (const [err, name, message] of cases) {
      assert.ok(err instanceof Error);
      assert.deepEqual([err.name, err.message], [name, message]);
    }
    assert.equal(new KeyFileError('/k.pem', 'x').path, '/k.pem');
    assert.equal(new FrameError('big', true).oversize, true);
    assert.equal(new GrpcError(12, 'x').status, 12);
    const codec = new CodecError('a', 'b');
    assert.deepEqual(
      [codec.module, codec.code, codec.path, codec instanceof CodedError],
      ['codec', 1, 'a', true],
    );
    const check = new CheckTxFailedError({ module: 'accounts', code: 2, message: 'no funds' });
    assert.deepEqual(
      [check.name, check.module, check.code, check.message, check.checkTxError.code],
      [
        'CheckTxFailedError',
        'runtime/client',
        5,
        'client: transaction check failed: runtime error: module: accounts code: 2 message: no funds',
        2,
      ],
    );
    assert.ok(check instanceof CodedError);
  });
});
