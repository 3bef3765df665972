/**
 * The ParaTime catalog: the accounts ParaTime's settings from the node configuration become its
 * `local_config` (bad settings refused with a codec error naming the path), unknown ParaTimes are refused
 * naming the known ones, and the genesis state root the catalog computes is the one the runtime produces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { CborValue } from '../../../../src/codec/cbor.ts';
import { addressFromPublicKey, addressToBech32 } from '../../../../src/crypto/address.ts';
import { EMPTY_HASH } from '../../../../src/crypto/hash.ts';
import { CodecError } from '../../../../src/errors.ts';
import {
  accountsGenesis,
  decodeAccountsConfig,
  encodeAccountsConfig,
} from '../../../../src/runtime/process/paratimes/accounts/genesis.ts';
import { AccountsRuntime } from '../../../../src/runtime/process/paratimes/accounts/runtime.ts';
import {
  genesisStateRoot,
  paraTime,
  paraTimeNames,
} from '../../../../src/runtime/process/paratimes/catalog.ts';
import { MemoryTreeStore } from '../../../../src/runtime/state/tree_store.ts';

const accounts = paraTime('accounts');
const address = (i: number) => addressFromPublicKey(new Uint8Array(32).fill(i));
const bech32 = (i: number) => addressToBech32(address(i));
const PATH = 'runtimes[0].config';

/** Asserts `fn` throws a CodecError at `path` whose message matches `message`. */
function refuses(fn: () => unknown, path: string, message: RegExp) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof CodecError, `a CodecError, got ${String(err)}`);
    assert.equal(err.path, path);
    assert.match(err.message, message);
    return true;
  });
}

describe('ParaTime catalog', () => {
  it('offers the accounts, EVM and confidential EVM ParaTimes and names the known ones for an unknown name', () => {
    assert.deepEqual(paraTimeNames(), ['accounts', 'evm', 'sapphire']);
    assert.equal(accounts.name, 'accounts');
    assert.match(accounts.entry, /paratimes\/accounts\/main\.ts$/);
    refuses(() => paraTime('wasm'), 'paratime', /unknown ParaTime "wasm" \(known: accounts, evm, sapphire\)/);
  });

  it('converts balances (bech32 → amount) and min_gas_price to the local_config, sorted by address', () => {
    // Ordered so that the configuration's order differs from address order.
    const [lo, hi] = [address(1), address(2)].sort(Buffer.compare) as [Uint8Array, Uint8Array];
    const config = {
      balances: { [addressToBech32(hi)]: '1000000000000000000000', [addressToBech32(lo)]: 5 },
      min_gas_price: '3',
    };
    const expected = encodeAccountsConfig({
      balances: [
        [lo, 5n],
        [hi, 10n ** 21n],
      ],
      minGasPrice: 3n,
    });
    assert.deepEqual(accounts.localConfig(config, PATH), expected);
    assert.deepEqual(decodeAccountsConfig(expected), {
      balances: [
        [lo, 5n],
        [hi, 10n ** 21n],
      ],
      minGasPrice: 3n,
    });
    // The same through the node configuration's YAML.
    const yaml = `balances:\n  ${addressToBech32(hi)}: "1000000000000000000000"\n  ${addressToBech32(lo)}: 5\nmin_gas_price: 3\n`;
    assert.deepEqual(accounts.localConfig(parseYaml(yaml) as CborValue, PATH), expected);
  });

  it('treats absent settings as none', () => {
    const none = encodeAccountsConfig({ balances: [] });
    assert.deepEqual(accounts.localConfig(null, PATH), none);
    assert.deepEqual(accounts.localConfig({}, PATH), none);
    assert.deepEqual(accounts.localConfig({ balances: null }, PATH), none);
    assert.deepEqual(decodeAccountsConfig(none), { balances: [], minGasPrice: 0n });
  });

  it('refuses unknown keys, bad addresses and bad amounts with the path', () => {
    const a = bech32(1);
    refuses(() => accounts.localConfig({ balance: {} }, PATH), `${PATH}.balance`, /unknown setting/);
    refuses(() => accounts.localConfig('x', PATH), PATH, /expected a mapping/);
    refuses(() => accounts.localConfig([], PATH), PATH, /expected a mapping/);
    refuses(() => accounts.localConfig({ balances: [a] }, PATH), `${PATH}.balances`, /expected a mapping/);
    const badAddresses = [
      'oasis1notanaddress',
      a.slice(0, -1),
      addressToBech32(address(1)).replace('oasis', 'osmo'),
    ];
    for (const bad of badAddresses)
      refuses(
        () => accounts.localConfig({ balances: { [bad]: '1' } }, PATH),
        `${PATH}.balances.${bad}`,
        /invalid address/,
      );
    for (const bad of ['-1', '1.5', 'abc', '', ' 1', -1, 1.5, true, null, ['5'], { n: 5 }] as CborValue[])
      refuses(
        () => accounts.localConfig({ balances: { [a]: bad } }, PATH),
        `${PATH}.balances.${a}`,
        /amount/,
      );
    refuses(() => accounts.localConfig({ min_gas_price: '-3' }, PATH), `${PATH}.min_gas_price`, /amount/);
  });

  it('refuses a number too large to be exact (quote it instead)', () => {
    const a = bech32(1);
    // YAML reads an unquoted 12345678901234567890 as the float 12345678901234567000.
    const config = parseYaml(`balances:\n  ${a}: 12345678901234567890\n`) as CborValue;
    refuses(() => accounts.localConfig(config, PATH), `${PATH}.balances.${a}`, /quote/);
    assert.deepEqual(
      accounts.localConfig({ balances: { [a]: Number.MAX_SAFE_INTEGER } }, PATH),
      encodeAccountsConfig({ balances: [[address(1), BigInt(Number.MAX_SAFE_INTEGER)]] }),
    );
  });

  it('refuses the same address written twice (bech32 is case-insensitive)', () => {
    const a = bech32(1);
    refuses(
      () => accounts.localConfig({ balances: { [a]: '5', [a.toUpperCase()]: '7' } }, PATH),
      `${PATH}.balances.${a.toUpperCase()}`,
      /same address as/,
    );
  });

  it('genesisStateRoot is the root the accounts runtime itself produces for the same config', () => {
    const cfg = accounts.localConfig({ balances: { [bech32(1)]: '100000', [bech32(2)]: '7' } }, PATH);
    const root = genesisStateRoot(accounts, cfg);
    assert.deepEqual(
      root,
      new MemoryTreeStore().apply(EMPTY_HASH, accountsGenesis(decodeAccountsConfig(cfg))),
    );
    const writes = new AccountsRuntime().init({
      runtime_id: new Uint8Array(32).fill(0x80),
      consensus_backend: 'tendermint',
      consensus_protocol_version: { major: 7 },
      consensus_chain_context: 'test-chain-context',
      local_config: cfg,
    });
    assert.deepEqual(root, new MemoryTreeStore().apply(EMPTY_HASH, writes));
    assert.ok(writes.length > 0);
    assert.notDeepEqual(root, EMPTY_HASH);
    // Balances decide the root; no balances is the empty state.
    const other = accounts.localConfig({ balances: { [bech32(1)]: '100001', [bech32(2)]: '7' } }, PATH);
    assert.notDeepEqual(genesisStateRoot(accounts, other), root);
    assert.deepEqual(genesisStateRoot(accounts, accounts.localConfig(null, PATH)), EMPTY_HASH);
  });
});
