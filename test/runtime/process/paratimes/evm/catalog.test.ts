/**
 * The EVM ParaTime in the ParaTime catalog (`paratime: evm`): its settings from the node configuration
 * (balances by `oasis1…` or `0x…` address, chain ID, gas settings) become the handshake's `local_config`,
 * and the genesis root the catalog computes is the one the runtime itself produces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { CborValue } from '../../../../../src/codec/cbor.ts';
import { addressFromPublicKey, addressToBech32 } from '../../../../../src/crypto/address.ts';
import { EMPTY_HASH } from '../../../../../src/crypto/hash.ts';
import { CodecError } from '../../../../../src/errors.ts';
import { genesisStateRoot, paraTime } from '../../../../../src/runtime/process/paratimes/catalog.ts';
import { decodeEvmConfig } from '../../../../../src/runtime/process/paratimes/evm/genesis.ts';
import { EvmRuntime } from '../../../../../src/runtime/process/paratimes/evm/runtime.ts';
import { MemoryTreeStore } from '../../../../../src/runtime/state/tree_store.ts';
import { alice, oasisOf } from './helpers.ts';

const evm = paraTime('evm');
const PATH = 'runtimes[0].config';
const ed = addressFromPublicKey(new Uint8Array(32).fill(1));

describe('ParaTime catalog: evm', () => {
  it('starts the EVM ParaTime process and reads its settings from YAML, Ethereum addresses included', () => {
    assert.match(evm.entry, /paratimes\/evm\/main\.ts$/);
    const yaml = `balances:\n  "${alice.address}": "1000000000000000000000"\n  ${addressToBech32(ed)}: 5\nmin_gas_price: "100000000000"\nchain_id: 23293\n`;
    const config = decodeEvmConfig(evm.localConfig(parseYaml(yaml) as CborValue, PATH));
    const expected = [
      [oasisOf(alice.address), 10n ** 21n],
      [ed, 5n],
    ].sort((a, b) => Buffer.compare(a[0] as Uint8Array, b[0] as Uint8Array));
    assert.deepEqual(config, {
      balances: expected,
      minGasPrice: 10n ** 11n,
      chainId: 23293n,
      maxBatchGas: 15_000_000n,
    });
    assert.throws(
      () => evm.localConfig({ gas: 1 }, PATH),
      (e) => e instanceof CodecError && e.path === `${PATH}.gas`,
    );
    assert.throws(
      () => evm.localConfig({ balances: { '0x1234': '1' } }, PATH),
      (e) => e instanceof CodecError && e.path === `${PATH}.balances.0x1234`,
    );
  });

  it('computes the genesis root the EVM runtime produces', () => {
    const cfg = evm.localConfig({ balances: { [alice.address]: '7' }, chain_id: 1 }, PATH);
    const writes = new EvmRuntime().init({
      runtime_id: new Uint8Array(32).fill(0x80),
      consensus_backend: 'tendermint',
      consensus_protocol_version: { major: 7 },
      consensus_chain_context: 'test-chain-context',
      local_config: cfg,
    });
    const root = genesisStateRoot(evm, cfg);
    assert.deepEqual(root, new MemoryTreeStore().apply(EMPTY_HASH, writes));
    assert.notDeepEqual(root, EMPTY_HASH);
  });
});
