import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeSignedTransaction, signTransaction } from '../../../src/consensus/api/transaction.ts';
import { MuxApplication } from '../../../src/services/mux/application.ts';
import { fixedIntervalEpochs } from '../../../src/services/mux/epoch.ts';
import { ServiceMux } from '../../../src/services/mux/mux.ts';
import { staticPipelineParameters } from '../../../src/services/mux/params.ts';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { StakingQueries } from '../../../src/services/staking/api/queries.ts';
import { stakingAuthHandler } from '../../../src/services/staking/auth.ts';
import { StakingService } from '../../../src/services/staking/service.ts';
import { StakingStateReader } from '../../../src/services/staking/state.ts';
import { openMkvs } from '../../../src/state/mkvs/versioned.ts';
import { addr, CHAIN_CONTEXT, key, makeGenesis } from '../staking/fixture.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function newMux() {
  return new ServiceMux({
    services: [new StakingService()],
    authHandler: stakingAuthHandler,
    epochs: fixedIntervalEpochs(10),
    chainContext: CHAIN_CONTEXT,
    parameters: staticPipelineParameters({
      maxTxSize: 32768,
      maxBlockGas: 0n,
      minGasPrice: 0n,
      gasCosts: { tx_byte: 1n },
    }),
    sanityChecks: true,
  });
}

const transfer = (nonce: bigint, amount: bigint) =>
  encodeSignedTransaction(
    signTransaction(
      key(1),
      {
        nonce,
        method: StakingMethods.transfer,
        fee: { amount: 1n, gas: 10_000n },
        body: BodyEncoders.transfer({ to: addr(2), amount }),
      },
      CHAIN_CONTEXT,
    ),
  );

const block = (height: number, txs: Uint8Array[]) => ({
  height,
  time: height,
  proposer: key(9).publicKey,
  lastCommit: [],
  misbehavior: [],
  txs,
  hash: new Uint8Array(32),
});

describe('MuxApplication over the MKVS', () => {
  it('executes, commits, answers queries by height and survives a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-app-'));
    dirs.push(dir);
    const genesis = makeGenesis([[1, 1000n]]);
    let state = await openMkvs(dir);
    let app = new MuxApplication({ mux: newMux(), state, genesis: () => ({ staking: genesis }) });
    const init = await app.initChain({ chainId: 'test', time: 0, initialHeight: 1 });
    assert.equal(init.appHash.length, 32);

    // Mempool: two sequential txs from the same sender validate; a replay does not.
    assert.equal((await app.checkTx(transfer(0n, 10n), 'new')).error, undefined);
    assert.equal((await app.checkTx(transfer(1n, 10n), 'new')).error, undefined);
    assert.equal((await app.checkTx(transfer(1n, 10n), 'new')).error?.code, 1);

    const txs = await app.prepareProposal({
      ...block(1, [transfer(0n, 10n), transfer(5n, 1n), transfer(1n, 20n)]),
      maxTxBytes: 1 << 20,
    });
    assert.equal(txs.length, 2, 'the wrong-nonce tx is left out');
    assert.equal(await app.processProposal(block(1, txs)), true);
    assert.equal(await app.processProposal(block(1, [transfer(9n, 1n)])), false);

    const res = await app.finalizeBlock(block(1, txs));
    assert.deepEqual(
      res.txResults.map((r) => r.error),
      [undefined, undefined],
    );
    await app.commit();
    assert.equal((await app.info()).lastHeight, 1);
    assert.deepEqual((await app.info()).lastAppHash, res.appHash);
    assert.deepEqual(StakingQueries.account(app.stateAt(1), addr(2)), {
      general: { balance: Uint8Array.of(30) },
    });
    assert.equal(new StakingStateReader(app.stateAt(0)).account(addr(1)).general.nonce, 2n);

    // After commit the check state follows the committed nonce.
    assert.equal((await app.checkTx(transfer(2n, 1n), 'new')).error, undefined);

    await state.close();
    state = await openMkvs(dir);
    app = new MuxApplication({ mux: newMux(), state, genesis: () => ({ staking: genesis }) });
    assert.deepEqual(await app.info(), { lastHeight: 1, lastAppHash: res.appHash });
    const res2 = await app.finalizeBlock(block(2, [transfer(2n, 5n)]));
    assert.equal(res2.txResults[0]!.error, undefined);
    await app.commit();
    assert.deepEqual(StakingQueries.totalSupply(app.stateAt(2)), StakingQueries.totalSupply(app.stateAt(1)));
    await state.close();
  });
});
