import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goJsonStringify, stringifyJson } from '../../src/codec/json.ts';
import { parseJson } from '../../src/codec/typed.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { buildGenesis } from '../../src/genesis/builder.ts';
import { genesisDocumentCodec, genesisToJson } from '../../src/genesis/document.ts';
import { signEntity } from '../../src/services/registry/api/entity.ts';

/** The writer the genesis and CLI output used before: `JSON.stringify` with bigints as plain numbers. */
function jsonStringifyWithBigints(value: unknown): string {
  const marks: string[] = [];
  const json = JSON.stringify(
    value,
    (_k, v) => (typeof v === 'bigint' ? `\u0001bigint:${marks.push(v.toString()) - 1}` : v),
    2,
  );
  return `${json
    .replace(/"\\u0001bigint:(\d+)"/g, (_m, i: string) => marks[Number(i)]!)
    .replace(/"\\u0000bigint:(\d+)"/g, (_m, digits: string) => digits)}\n`;
}

const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(7));

describe('the JSON writer', () => {
  it('writes what JSON.stringify(v, null, 2) writes, bigints as plain numbers', () => {
    const value = {
      s: 'quote " backslash \\ tab \t newline \n ünïcödé \u0001',
      n: [0, -1, 1.5, 1e21, Number.NaN, 2 ** 53],
      big: 123456789012345678901234567890n,
      marked: parseJson('{"x": 18446744073709551615}'),
      nested: { empty: {}, list: [], nil: null, t: true, f: false, deep: [[{ a: [1] }]] },
      skipped: undefined,
      holes: [undefined, () => 1],
      date: new Date(0),
    };
    assert.equal(stringifyJson(value), jsonStringifyWithBigints(value));
    assert.match(stringifyJson(value), /"big": 123456789012345678901234567890,/);
    assert.match(stringifyJson(value), /"x": 18446744073709551615\n/);
  });

  it('writes a genesis document byte for byte as before', () => {
    const doc = buildGenesis({
      chainId: 'oasis-ts test',
      time: 1_700_000_000,
      entities: [signEntity(key, { v: 2, id: key.publicKey })],
      nodes: [],
      accounts: [{ address: addressFromPublicKey(key.publicKey), general: 5n * 10n ** 18n, escrow: 10n }],
      commonPool: 10n ** 15n,
    });
    assert.equal(genesisToJson(doc), jsonStringifyWithBigints(genesisDocumentCodec.toJson(doc)));
  });

  it("escapes <, > and & and U+2028/U+2029 as Go's encoder does, keys included", () => {
    assert.equal(
      goJsonStringify({ 'a<b': 'x > y && z\u2028\u2029' }),
      '{\n  "a\\u003cb": "x \\u003e y \\u0026\\u0026 z\\u2028\\u2029"\n}',
    );
  });
});
