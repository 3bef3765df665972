/**
 * Inputs the fuzzers found that once broke a property, kept as unit tests against the decoders directly.
 * key-files: a signed descriptor whose untrusted_raw_value is not base64 made the JSON file readers throw a
 * bare Error (as did every other malformed field), which callers cannot tell from a bug; they are now
 * CodecErrors naming the file and field.
 * tx-envelope / tx-payload: maps keyed by arrays or maps. The CBOR encoder cannot order such keys (it
 * printed a warning per input, so a peer could flood the log), and both orders of one map passed the
 * canonical check — two encodings, two hashes, one transaction. The structural pre-scan now refuses them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import { parseJsonFile, signedFromJson } from '../../src/crypto/signer/json_files.ts';
import { CodecError } from '../../src/errors.ts';
import { entityFromJson } from '../../src/services/registry/api/entity.ts';
import { keyFiles } from './targets/files.ts';

/** The fuzzer's input (kind byte 2: a signed descriptor file), as it was found. */
const SIGNED_BAD_BASE64 = Buffer.from(
  '027b22756e747275737465645f7261775f76616c7565223a226f6d4632416d4a705a466767696f6a6a3358514a385a583955747374504c70646373706e436238646c424948732f566d727351536238335349416251506231773d222c227369676e6174757265223a7b227075626c69635f6b6579223a22696f6a6a3358514a385a583955747374504c70646373706e436238646c42496238335349416251506231773d222c227369676e6174757265223a224864747478664f49515a544a4c79537939543673317030445049732b61355a7a45364969704e483964494b5755645979766e7250356e48732f566d727351537534424e6a5642486d6e4f49566a4138503638453144773d3d227d7d',
  'hex',
);

describe('fuzz regressions', () => {
  it('a signed descriptor with a non-base64 field is a CodecError naming the field', () => {
    const text = SIGNED_BAD_BASE64.subarray(1).toString('utf8');
    assert.throws(
      () => signedFromJson(parseJsonFile(text, 'signed.json'), 'signed.json'),
      (err) => err instanceof CodecError && err.path === 'signed.json.untrusted_raw_value',
    );
    assert.doesNotThrow(() => keyFiles.check(new Uint8Array(SIGNED_BAD_BASE64)));
  });

  it('every malformed JSON key file answers with a CodecError', () => {
    const entity = (text: string) => entityFromJson(parseJsonFile(text, 'entity.json'), 'entity.json');
    const signed = (text: string) => signedFromJson(parseJsonFile(text, 'signed.json'), 'signed.json');
    const cases: [() => unknown, string][] = [
      [() => entity('{'), 'entity.json: invalid JSON'],
      [() => entity('[]'), 'entity.json'],
      [() => signed('{"untrusted_raw_value":"AA==","signature":{}}'), 'signed.json.signature.public_key'],
      [() => signed('{"untrusted_raw_value":"AA==","signature":[]}'), 'signed.json.signature'],
      [() => signed('{"untrusted_raw_value":1,"signature":{}}'), 'signed.json.untrusted_raw_value'],
    ];
    for (const [read, prefix] of cases) {
      assert.throws(read, (err) => err instanceof CodecError && err.message.startsWith(prefix), prefix);
    }
  });

  it('refuses map keys that are arrays or maps, in either order, without a warning', (t) => {
    const warn = t.mock.method(console, 'warn');
    // {[1]: 0, [2]: 0} and {[2]: 0, [1]: 0}; {{1: 2}: {}}; {[]: 0} nested in an array.
    for (const hex of ['a2810100810200', 'a2810200810100', 'a1a10102a0', '81a18000']) {
      assert.throws(
        () => decodeCanonical(Buffer.from(hex, 'hex')),
        (err) => err instanceof CodecError && /map key .* is an array or a map/.test(err.message),
        hex,
      );
    }
    assert.equal(warn.mock.callCount(), 0);
    // Keys the protocol uses still decode: integers, text, bytes.
    const map = new Map<unknown, unknown>([
      [1, 2],
      ['a', 3],
      [new Uint8Array([0xff, 0xff]), 4],
    ]);
    assert.deepEqual(decodeCanonical(encodeCanonical(map)), map);
  });
});
