/**
 * The EVM ParaTime in its own process under the real runtime host: handshake, a solc contract deployed
 * and called with transactions signed by ethers, queries as client-rt's `evm` wrapper builds them, the
 * mempool check, and a kill -9 after which the new process fetches the EVM state from the host and
 * carries on. The roots equal those of the same batches executed in this process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { AbiCoder, getCreateAddress } from 'ethers';
import { toHex } from '../../../../../src/codec/bytes.ts';
import { RuntimeHost } from '../../../../../src/runtime/node/host/host.ts';
import type { SupervisorEvent } from '../../../../../src/runtime/node/host/supervisor.ts';
import { paraTime } from '../../../../../src/runtime/process/paratimes/catalog.ts';
import {
  decodeEvmConfig,
  encodeEvmConfig,
  evmGenesis,
} from '../../../../../src/runtime/process/paratimes/evm/genesis.ts';
import { clientQuery } from '../../../node/host/client_query.ts';
import { untilEvent } from '../../../node/host/supervisor_events.ts';
import { contracts } from './fixtures/contracts.ts';
import {
  alice,
  bob,
  CHAIN,
  CHAIN_ID,
  ETHER,
  eth,
  oasisOf,
  RUNTIME_ID,
  result,
  setup,
  signed,
} from './helpers.ts';

/** The program the node starts for `paratime: evm`, as the catalog names it. */
const ENTRY = paraTime('evm').entry;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const until = (events: SupervisorEvent[], pred: (e: SupervisorEvent) => boolean): Promise<void> =>
  untilEvent(events, pred, 30_000);

describe('RuntimeHost with the EVM ParaTime process', () => {
  it('deploys and calls a contract in the child process, answers client-rt queries, survives kill -9', async () => {
    const local = setup();
    const localConfig = encodeEvmConfig({
      balances: [
        [oasisOf(alice.address), 1000n * ETHER],
        [oasisOf(bob.address), 1000n * ETHER],
      ],
      chainId: CHAIN_ID,
    });
    const events: SupervisorEvent[] = [];
    const runtimeDir = mkdtempSync(join(tmpdir(), 'rh-evm-'));
    dirs.push(runtimeDir);
    const host = new RuntimeHost({
      runtimeId: RUNTIME_ID,
      runtimeDir,
      entry: ENTRY,
      consensus: { backend: 'tendermint', protocolVersion: { major: 7 }, chainContext: CHAIN },
      maxOldSpaceMb: 256,
      callTimeoutMs: 60_000,
      backoff: { initialMs: 20, maxMs: 200, stableAfterMs: 60_000 },
      onEvent: (e) => events.push(e),
      localConfig,
      genesisWriteLog: evmGenesis(decodeEvmConfig(localConfig)),
    });
    try {
      const info = await host.start();
      assert.deepEqual(info.runtime_version, { major: 0, minor: 1 });
      assert.deepEqual(host.genesisStateRoot, local.root, 'the host and the runtime agree on genesis');
      const block = (round: bigint, state_root: Uint8Array) => ({
        round,
        state_root,
        consensus_height: round,
        epoch: 0n,
        timestamp: 1_700_000_000n + round,
        max_messages: 4,
        in_msgs: [],
      });
      const start = AbiCoder.defaultAbiCoder().encode(['uint256'], [5n]).slice(2);
      const deploy = await signed(alice, { nonce: 0, data: contracts.Counter!.bytecode + start });
      const first = await host.executeBatch({ ...block(1n, host.genesisStateRoot), inputs: [deploy] });
      const address = getCreateAddress({ from: alice.address, nonce: 0 });
      assert.deepEqual(result(first.results[0]!), { ok: eth(address) });
      const increment = contracts.Counter!.abi.encodeFunctionData('increment');
      const second = await host.executeBatch({
        ...block(2n, first.header.state_root),
        inputs: [await signed(bob, { nonce: 0, to: address, data: increment })],
      });
      assert.ok(result(second.results[0]!).ok !== undefined);

      // The same batches in this process give the same roots.
      const localFirst = await local.run(local.root, [deploy], block(1n, local.root));
      assert.deepEqual(localFirst.header.state_root, first.header.state_root);

      const query = <A, D>(q: oasisRT.wrapper.QueryWrapper<A, D>, root: Uint8Array) =>
        clientQuery(host, q, root, 2n);
      const evm = new oasisRT.evm.Wrapper(RUNTIME_ID);
      const root2 = second.header.state_root;
      const code = await query(evm.queryCode().setArgs({ address: eth(address) }), root2);
      assert.equal(`0x${toHex(code)}`, contracts.Counter!.deployedBytecode);
      const count = await query(
        evm.querySimulateCall().setArgs({
          gas_price: new Uint8Array(0),
          gas_limit: 100_000n,
          caller: eth(bob.address),
          address: eth(address),
          value: new Uint8Array(0),
          data: oasis.misc.fromHex(contracts.Counter!.abi.encodeFunctionData('count').slice(2)),
        }),
        root2,
      );
      assert.equal(BigInt(`0x${toHex(count)}`), 6n);
      const balance = await query(evm.queryBalance().setArgs({ address: eth(bob.address) }), root2);
      assert.ok(oasis.quantity.toBigInt(balance) < 1000n * ETHER);

      const checked = await host.checkTxBatch({
        round: 3n,
        state_root: root2,
        consensus_height: 3n,
        epoch: 0n,
        inputs: [
          await signed(bob, { nonce: 0, to: address, data: increment }),
          await signed(bob, { nonce: 1, to: address, data: increment }),
        ],
      });
      assert.deepEqual(
        checked.results.map((r) => r.error.code),
        [oasisRT.core.ERR_INVALID_NONCE_CODE, undefined],
      );

      // kill -9: the next process has none of this state, fetches it from the host and executes on it.
      const pid = host.pid!;
      process.kill(pid, 'SIGKILL');
      await until(events, (e) => e.type === 'ready' && e.generation === 2);
      const third = await host.executeBatch({
        ...block(3n, root2),
        inputs: [await signed(bob, { nonce: 1, to: address, data: increment })],
      });
      assert.ok(result(third.results[0]!).ok !== undefined, JSON.stringify(result(third.results[0]!).fail));
      const after3 = await query(
        evm.queryStorage().setArgs({ address: eth(address), index: new Uint8Array(32) }),
        third.header.state_root,
      );
      assert.equal(BigInt(`0x${toHex(after3)}`), 7n);
    } finally {
      await host.stop();
    }
  });
});
