import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import {
  arrayCodec,
  bytesCodec,
  field,
  hexCodec,
  mapCodec,
  optionalCodec,
  parseJson,
  quantityCodec,
  stringifyJson,
  structCodec,
  textCodec,
  timeCodec,
  u64Codec,
  withDefault,
} from '../../src/codec/typed.ts';
import { addressCodec, addressFromBech32 } from '../../src/crypto/address.ts';
import { CodecError } from '../../src/errors.ts';

const account = structCodec({
  balance: field(
    withDefault(quantityCodec, () => 0n),
    true,
  ),
  nonce: field(
    withDefault(u64Codec, () => 0n),
    true,
  ),
});
const doc = structCodec({
  height: field(u64Codec),
  genesis_time: field(timeCodec),
  chain_id: field(textCodec),
  root: field(hexCodec(4)),
  key: field(bytesCodec(2)),
  note: field(optionalCodec(textCodec), true),
  ledger: field(mapCodec(addressCodec, account), true),
  list: field(arrayCodec(u64Codec), true),
});

const addr = addressFromBech32('oasis1qrmufhkkyyf79s5za2r8yga9gnk4t446dcy3a5zm');
const value = {
  height: 2n ** 64n - 1n,
  genesis_time: 1_700_000_000,
  chain_id: 'test',
  root: Uint8Array.of(1, 2, 3, 4),
  key: Uint8Array.of(9, 8),
  note: undefined,
  ledger: new Map([[addr, { balance: 10n ** 18n, nonce: 0n }]]),
  list: [] as bigint[],
};

describe('typed codecs', () => {
  it('renders JSON the way Go does and reads it back exactly', () => {
    const json = stringifyJson(doc.toJson(value));
    assert.match(json, /"height": 18446744073709551615,/);
    assert.match(json, /"genesis_time": "2023-11-14T22:13:20Z"/);
    assert.match(json, /"root": "01020304"/);
    assert.match(json, /"key": "CQg="/);
    assert.match(
      json,
      /"oasis1qrmufhkkyyf79s5za2r8yga9gnk4t446dcy3a5zm": \{\n\s+"balance": "1000000000000000000"\n/,
    );
    assert.doesNotMatch(json, /note|nonce|list/);
    const back = doc.fromJson(parseJson(json), '');
    assert.deepEqual(back, value);
  });

  it('encodes CBOR with omitempty and round-trips strictly', () => {
    const cbor = encodeCanonical(doc.encode(value));
    const back = doc.decode(decodeCanonical(cbor), '');
    assert.deepEqual(back, value);
    assert.equal(toHex(encodeCanonical(account.encode({ balance: 0n, nonce: 0n }))), 'a0');
  });

  it('names the offending field in JSON errors', () => {
    const json = doc.toJson(value) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>, re: RegExp) =>
      assert.throws(
        () => doc.fromJson({ ...json, ...patch }, 'genesis'),
        (e) => e instanceof CodecError && re.test(e.message),
      );
    bad({ chain_id: 5 }, /genesis\.chain_id: expected a text string/);
    bad({ root: 'zz' }, /genesis\.root: expected 8 hex digits/);
    bad({ genesis_time: 'yesterday' }, /genesis\.genesis_time: expected an RFC 3339 time/);
    bad({ ledger: { oasis1xyz: {} } }, /genesis\.ledger\{oasis1xyz\}: invalid address/);
    bad(
      { ledger: { [Object.keys(json.ledger as object)[0]!]: { balance: '-1' } } },
      /balance: expected a decimal amount/,
    );
    bad({ extra: 1 }, /genesis\.extra: unknown field/);
    const { chain_id: _drop, ...missing } = json;
    assert.throws(() => doc.fromJson(missing, 'genesis'), /genesis\.chain_id: missing required field/);
  });

  it('keeps large integers exact through parseJson', () => {
    const parsed = parseJson('{"a": 9007199254740993, "s": "12345678901234567890", "f": 1.5}') as Record<
      string,
      unknown
    >;
    assert.equal(u64Codec.fromJson(parsed.a, 'a'), 9007199254740993n);
    assert.equal(parsed.s, '12345678901234567890');
    assert.equal(parsed.f, 1.5);
  });
});
