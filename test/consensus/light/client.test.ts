/**
 * The light client against chains built by the engine's own rules: a header 1,000 heights ahead across
 * a validator set replaced many times over, forged commits and headers refused, a wrong or expired trust
 * root refused, and a conflicting but verifiable header from a witness detected with evidence.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { bytesEqual, toHex } from '../../../src/codec/bytes.ts';
import type { ValidatorUpdate } from '../../../src/consensus/api/application.ts';
import { blockHash } from '../../../src/consensus/api/block.ts';
import { decodeLightAttack } from '../../../src/consensus/api/light_attack_evidence.ts';
import { type LightBlock, validatorsHash } from '../../../src/consensus/api/light_block.ts';
import type { MemoryBlockStore } from '../../../src/consensus/bft/block_store.ts';
import {
  LightClient,
  LightClientAttackError,
  type LightClientOptions,
} from '../../../src/consensus/light/client.ts';
import { isLightError } from '../../../src/consensus/light/errors.ts';
import { buildChain, type ChainPlan, fixtureKey, signCommit } from './chain_fixture.ts';
import { StoreSource } from './sources.ts';

const CHAIN = 'light-test-chain';
const HEIGHTS = 1000;
const ROTATE_EVERY = 40;
const WEEK_MS = 7 * 24 * 3600 * 1000;

const pool = Array.from({ length: 32 }, (_, i) => fixtureKey(i));
const keys = new Map(pool.map((k) => [toHex(k.publicKey), k]));

/** Every 40 heights one validator leaves and a new one joins (powers 10..12): 24 replacements. */
function rotation(h: number): ValidatorUpdate[] {
  if (h % ROTATE_EVERY !== 0 || h / ROTATE_EVERY > 24) return [];
  const n = h / ROTATE_EVERY;
  return [
    { publicKey: pool[n - 1]!.publicKey, power: 0n },
    { publicKey: pool[n + 3]!.publicKey, power: 10n + BigInt(n % 3) },
  ];
}

const plan: ChainPlan = {
  chainId: CHAIN,
  heights: HEIGHTS,
  keys,
  genesis: pool.slice(0, 4).map((k) => ({ publicKey: k.publicKey, power: 10n })),
  updatesAt: rotation,
};

let main: MemoryBlockStore;
let fork: MemoryBlockStore;

function hashAt(store: MemoryBlockStore, h: number): Uint8Array {
  return blockHash(store.block(h)!.header);
}

function client(primary: StoreSource, over: Partial<LightClientOptions> = {}): LightClient {
  const nowAtTop = main.block(HEIGHTS)!.header.time + 1000;
  return new LightClient({
    chainContext: CHAIN,
    trust: { height: 1, hash: hashAt(main, 1), periodMs: WEEK_MS },
    primary,
    now: () => nowAtTop,
    ...over,
  });
}

before(async () => {
  main = await buildChain(plan);
  // Same validators, same history up to 600, then they sign a different block at every height.
  fork = await buildChain({ ...plan, txAt: (h) => (h > 600 ? `fork ${h}` : `tx ${h}`) });
});

describe('light client', () => {
  it('verifies a header 1,000 heights ahead across validator-set changes by skipping', async () => {
    const genesisSet = main.stateAt(1)!.lastValidators!.validators.map((v) => toHex(v.publicKey));
    const topSet = main.stateAt(HEIGHTS)!.lastValidators!.validators.map((v) => toHex(v.publicKey));
    assert.equal(genesisSet.filter((k) => topSet.includes(k)).length, 0, 'the set was replaced entirely');

    const source = new StoreSource('primary', main);
    const verified = await client(source).verifyHeight(HEIGHTS);
    assert.equal(verified.height, HEIGHTS);
    assert.ok(bytesEqual(verified.hash, hashAt(main, HEIGHTS)));
    assert.ok(bytesEqual(verified.appHash, main.block(HEIGHTS)!.header.appHash));
    assert.deepEqual(
      verified.validators.map((v) => toHex(v.publicKey)),
      topSet,
    );
    // Bisection was needed (no genesis validator signs 1000), yet far fewer than 1,000 blocks were read.
    assert.ok(source.fetched.length > 3, `fetched ${source.fetched.length}`);
    assert.ok(source.fetched.length < 200, `fetched ${source.fetched.length}`);
  });

  it('verifies the same header height by height in sequential mode, and heights below the root backwards', async () => {
    const source = new StoreSource('primary', main);
    const c = new LightClient({
      chainContext: CHAIN,
      trust: { height: 300, hash: hashAt(main, 300), periodMs: WEEK_MS },
      primary: source,
      sequential: true,
      now: () => main.block(HEIGHTS)!.header.time,
    });
    const v = await c.verifyHeight(450);
    assert.ok(bytesEqual(v.hash, hashAt(main, 450)));
    assert.equal(source.fetched.length, 151);
    const back = await c.verifyHeight(280);
    assert.ok(bytesEqual(back.hash, hashAt(main, 280)));
  });

  it('answers height 0 with the verified latest header', async () => {
    const v = await client(new StoreSource('primary', main)).verifyHeight(0);
    assert.equal(v.height, HEIGHTS);
  });

  it('rejects a commit whose signatures were tampered with', async () => {
    const forged = new StoreSource('forger', main, (b) => {
      if (b.header.height !== HEIGHTS) return b;
      const signatures = b.commit.signatures.map((s) =>
        s.flag === 1 ? s : { ...s, signature: new Uint8Array(s.signature).fill(7, 0, 8) },
      );
      return { ...b, commit: { ...b.commit, signatures } };
    });
    await assert.rejects(client(forged).verifyHeight(HEIGHTS), (err) => isLightError(err, 'invalidCommit'));
  });

  it('rejects a forged header signed by a validator set of its own making', async () => {
    const outsiders = Array.from({ length: 4 }, (_, i) => fixtureKey(i, 'forger'));
    const forged = new StoreSource('forger', main, (b) =>
      b.header.height > 1 ? forgeWithKeys(b, outsiders) : b,
    );
    await assert.rejects(client(forged).verifyHeight(HEIGHTS), (err) =>
      isLightError(err, 'invalidLightBlock'),
    );
  });

  it('rejects a trust root with another hash, and one past its trust period', async () => {
    const source = new StoreSource('primary', main);
    const wrong = client(source, { trust: { height: 1, hash: hashAt(main, 2), periodMs: WEEK_MS } });
    await assert.rejects(wrong.verifyHeight(HEIGHTS), (err) => isLightError(err, 'trustHashMismatch'));
    const expired = client(source, { trust: { height: 1, hash: hashAt(main, 1), periodMs: 60_000 } });
    await assert.rejects(expired.verifyHeight(HEIGHTS), (err) => isLightError(err, 'trustExpired'));
  });

  it('ignores a witness that merely lies (its conflicting header does not verify)', async () => {
    const outsiders = Array.from({ length: 4 }, (_, i) => fixtureKey(i, 'forger'));
    const liar = new StoreSource('liar', main, (b) =>
      b.header.height > 500 ? forgeWithKeys(b, outsiders) : b,
    );
    const v = await client(new StoreSource('primary', main), { witnesses: [liar] }).verifyHeight(HEIGHTS);
    assert.ok(bytesEqual(v.hash, hashAt(main, HEIGHTS)));
  });

  it('detects a conflicting header that verifies and reports evidence to both sides', async () => {
    const primary = new StoreSource('primary', main);
    const witness = new StoreSource('witness', fork);
    const c = client(primary, { witnesses: [witness] });
    const err = await c.verifyHeight(HEIGHTS).catch((e: unknown) => e);
    assert.ok(err instanceof LightClientAttackError, String(err));
    assert.ok(isLightError(err, 'conflictingHeaders'));
    const [againstPrimary, againstWitness] = err.evidence;
    const conflictHeight = againstWitness!.conflictingBlock.header.height;
    assert.ok(conflictHeight > 600, `diverged at ${conflictHeight}`);
    assert.ok(bytesEqual(blockHash(againstWitness!.conflictingBlock.header), hashAt(fork, conflictHeight)));
    assert.ok(bytesEqual(blockHash(againstPrimary!.conflictingBlock.header), hashAt(main, conflictHeight)));
    // Same validators and state, same round: an equivocation by everyone who signed both blocks.
    const signers = main.stateAt(conflictHeight)!.lastValidators!.validators.map((v) => toHex(v.publicKey));
    assert.deepEqual(againstWitness!.byzantineValidators.map(toHex), [...signers].sort());
    assert.equal(againstWitness!.commonHeight, conflictHeight);
    // Each side got the evidence against the other, in the canonical encoding.
    assert.equal(witness.evidence.length, 1);
    assert.equal(primary.evidence.length, 1);
    const sent = decodeLightAttack(primary.evidence[0]!);
    assert.ok(bytesEqual(blockHash(sent.conflictingBlock.header), hashAt(fork, conflictHeight)));
  });
});

/** `b` with its header pointing at a set of `signers` (all signing), re-signed: a lunatic forgery. */
function forgeWithKeys(b: LightBlock, signers: ReturnType<typeof fixtureKey>[]): LightBlock {
  const validators = signers.map((k) => ({ publicKey: k.publicKey, power: 100n }));
  const header = {
    ...b.header,
    validatorsHash: validatorsHash(validators),
    nextValidatorsHash: validatorsHash(validators),
  };
  const hash = blockHash(header);
  const commit = signCommit(CHAIN, validators, header.height, 0, hash, signers, header.time);
  return { header, commit, validators };
}
