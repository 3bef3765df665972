/** The single verification steps, rule by rule, on a chain built by the engine's rules. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import type { LightBlock } from '../../../src/consensus/api/light_block.ts';
import type { MemoryBlockStore } from '../../../src/consensus/bft/block_store.ts';
import { lightBlockAt } from '../../../src/consensus/bft/light_blocks.ts';
import { isLightError, type LightErrorCode } from '../../../src/consensus/light/errors.ts';
import {
  checkTrustLevel,
  DEFAULT_TRUST_LEVEL,
  type VerifyContext,
  verifyAdjacent,
  verifyBackwards,
  verifyNonAdjacent,
} from '../../../src/consensus/light/verifier.ts';
import { buildChain, fixtureKey } from './chain_fixture.ts';

const CHAIN = 'verifier-test-chain';
const pool = Array.from({ length: 8 }, (_, i) => fixtureKey(i, 'verifier'));
let store: MemoryBlockStore;
const at = (h: number): LightBlock => lightBlockAt(store, h)!;
const ctx = (over: Partial<VerifyContext> = {}): VerifyContext => ({
  chainContext: CHAIN,
  trustPeriodMs: 3600_000,
  now: at(30).header.time + 1000,
  maxClockDriftMs: 10_000,
  trustLevel: DEFAULT_TRUST_LEVEL,
  ...over,
});
const is = (kind: keyof typeof LightErrorCode) => (e: unknown) => isLightError(e, kind);

before(async () => {
  // At 10 the whole genesis set is replaced by four new validators (effective at 12).
  store = await buildChain({
    chainId: CHAIN,
    heights: 30,
    keys: new Map(pool.map((k) => [toHex(k.publicKey), k])),
    genesis: pool.slice(0, 4).map((k) => ({ publicKey: k.publicKey, power: 10n })),
    updatesAt: (h) =>
      h === 10
        ? [
            ...pool.slice(0, 4).map((k) => ({ publicKey: k.publicKey, power: 0n })),
            ...pool.slice(4).map((k) => ({ publicKey: k.publicKey, power: 10n })),
          ]
        : [],
  });
});

describe('light verification steps', () => {
  it('accepts trust levels in [1/3, 1] only', () => {
    checkTrustLevel({ numerator: 1n, denominator: 3n });
    checkTrustLevel({ numerator: 1n, denominator: 1n });
    assert.throws(() => checkTrustLevel({ numerator: 1n, denominator: 4n }), is('badOptions'));
    assert.throws(() => checkTrustLevel({ numerator: 4n, denominator: 3n }), is('badOptions'));
  });

  it('follows an adjacent header only to the validators the trusted one announced', () => {
    verifyAdjacent(at(11), at(12), ctx());
    const stranger = {
      ...at(12),
      header: { ...at(12).header, validatorsHash: at(10).header.validatorsHash },
    };
    assert.throws(() => verifyAdjacent(at(11), stranger, ctx()), is('invalidLightBlock'));
  });

  it('skips while a third of the trusted set signed, and asks to bisect across a replaced set', () => {
    verifyNonAdjacent(at(1), at(11), ctx());
    verifyNonAdjacent(at(12), at(30), ctx());
    assert.throws(() => verifyNonAdjacent(at(1), at(30), ctx()), is('notEnoughTrust'));
  });

  it('refuses an expired trust base, headers from the future and another chain', () => {
    assert.throws(() => verifyNonAdjacent(at(1), at(5), ctx({ trustPeriodMs: 1000 })), is('trustExpired'));
    assert.throws(
      () => verifyNonAdjacent(at(1), at(5), ctx({ now: at(3).header.time, maxClockDriftMs: 0 })),
      is('badTime'),
    );
    assert.throws(
      () => verifyNonAdjacent(at(1), at(5), ctx({ chainContext: 'other' })),
      is('invalidLightBlock'),
    );
  });

  it('hash-chains backwards and refuses a block that is not the previous one', () => {
    verifyBackwards(at(20), at(19), CHAIN);
    assert.throws(() =>
      verifyBackwards(
        at(20),
        { ...at(19), header: { ...at(19).header, appHash: new Uint8Array(32) } },
        CHAIN,
      ),
    );
  });
});
