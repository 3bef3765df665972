/**
 * Light-client-attack evidence as the chain judges it: evidence a light client built against a fork
 * signed by the chain's own validators verifies and blames them; the chain's own block, a changed blame
 * list, a header signed by strangers or a height the chain lacks are refused with their rule's code; the
 * pool takes it, offers it for a block and turns it into one misbehaviour per blamed validator.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import { blockHash } from '../../../src/consensus/api/block.ts';
import {
  encodeLightAttack,
  type LightClientAttackEvidence,
} from '../../../src/consensus/api/light_attack_evidence.ts';
import { type LightBlock, validatorsHash } from '../../../src/consensus/api/light_block.ts';
import type { MemoryBlockStore } from '../../../src/consensus/bft/block_store.ts';
import { lightBlockAt } from '../../../src/consensus/bft/light_blocks.ts';
import { decodeAnyEvidence, misbehaviorsOf } from '../../../src/consensus/evidence/any_evidence.ts';
import { EVIDENCE_MODULE, EvidenceErrorCode } from '../../../src/consensus/evidence/errors.ts';
import { EvidencePool } from '../../../src/consensus/evidence/pool.ts';
import {
  type LightAttackContext,
  verifyLightClientAttack,
} from '../../../src/consensus/evidence/verify_light_attack.ts';
import { attackEvidence } from '../../../src/consensus/light/detector.ts';
import { CodedError } from '../../../src/errors.ts';
import { buildChain, type ChainPlan, fixtureKey, signCommit } from '../light/chain_fixture.ts';

const CHAIN = 'attack-test-chain';
const pool = Array.from({ length: 6 }, (_, i) => fixtureKey(i, 'attack'));
const plan: ChainPlan = {
  chainId: CHAIN,
  heights: 40,
  keys: new Map(pool.map((k) => [toHex(k.publicKey), k])),
  genesis: pool.slice(0, 4).map((k) => ({ publicKey: k.publicKey, power: 10n })),
};
let main: MemoryBlockStore;
let fork: MemoryBlockStore;

const at = (store: MemoryBlockStore, h: number): LightBlock => lightBlockAt(store, h)!;
const context = (over: Partial<LightAttackContext> = {}): LightAttackContext => ({
  chainContext: CHAIN,
  currentHeight: 40,
  maxAgeBlocks: 100,
  alreadyCommitted: () => false,
  lightBlock: (h) => lightBlockAt(main, h),
  ...over,
});
const rule = (name: keyof typeof EvidenceErrorCode) => (e: unknown) =>
  CodedError.is(e, EVIDENCE_MODULE, EvidenceErrorCode[name]);

/** A lunatic block at `h`: other state and validators, signed by `signers` over `validators`. */
function lunatic(h: number, signers = pool.slice(0, 4)): LightBlock {
  const real = at(main, h);
  const validators = signers.map((k) => ({ publicKey: k.publicKey, power: 10n }));
  const header = {
    ...real.header,
    appHash: new Uint8Array(32).fill(9),
    validatorsHash: validatorsHash(validators),
    nextValidatorsHash: validatorsHash(validators),
  };
  const commit = signCommit(CHAIN, validators, h, 0, blockHash(header), signers, header.time);
  return { header, commit, validators };
}

before(async () => {
  main = await buildChain(plan);
  fork = await buildChain({ ...plan, txAt: (h) => (h > 30 ? `fork ${h}` : `tx ${h}`) });
});

describe('light-client-attack evidence', () => {
  it('verifies equivocation evidence against a fork the validators signed, blaming all of them', () => {
    const ev = attackEvidence(at(fork, 31), at(main, 31), at(main, 30));
    assert.equal(ev.commonHeight, 31);
    assert.equal(ev.byzantineValidators.length, 4);
    verifyLightClientAttack(ev, context());
  });

  it('verifies a lunatic header from the common height, blaming the common-set signers', () => {
    const ev = attackEvidence(lunatic(35), at(main, 35), at(main, 20));
    assert.equal(ev.commonHeight, 20);
    verifyLightClientAttack(ev, context());
  });

  it('refuses the chain’s own block, a changed blame list, strangers’ headers and unknown heights', () => {
    const own = attackEvidence(at(main, 31), at(fork, 31), at(main, 30));
    assert.throws(() => verifyLightClientAttack(own, context()), rule('sameBlock'));
    const ev = attackEvidence(at(fork, 31), at(main, 31), at(main, 30));
    const fewer: LightClientAttackEvidence = { ...ev, byzantineValidators: ev.byzantineValidators.slice(1) };
    assert.throws(() => verifyLightClientAttack(fewer, context()), rule('wrongAttribution'));
    const strangers = Array.from({ length: 4 }, (_, i) => fixtureKey(i, 'stranger'));
    const forged = attackEvidence(lunatic(35, strangers), at(main, 35), at(main, 20));
    assert.throws(() => verifyLightClientAttack(forged, context()), rule('conflictNotProven'));
    assert.throws(
      () => verifyLightClientAttack(ev, context({ lightBlock: (h) => (h === 31 ? undefined : at(main, h)) })),
      rule('unknownHeight'),
    );
    assert.throws(() => verifyLightClientAttack(ev, context({ currentHeight: 200 })), rule('expired'));
  });

  it('is pooled, offered for a block and slashed as one misbehaviour per blamed validator', () => {
    const ev = attackEvidence(at(fork, 31), at(main, 31), at(main, 30));
    const bytes = encodeLightAttack(ev);
    const evidencePool = new EvidencePool({
      chainContext: CHAIN,
      validatorPower: () => 10n,
      totalPower: () => 40n,
      currentHeight: 40,
      maxAgeBlocks: 100,
      lightBlock: (h) => lightBlockAt(main, h),
    });
    assert.equal(evidencePool.addEvidence(bytes).added, true);
    assert.deepEqual(evidencePool.pending(1 << 20), [bytes]);
    assert.equal(evidencePool.verifyBlockEvidence([bytes]).length, 1);
    const decoded = decodeAnyEvidence(bytes);
    assert.equal(decoded.kind, 'light-client-attack');
    const m = misbehaviorsOf(decoded, 1_700_000_000, 40n);
    assert.deepEqual(
      m.map((x) => [x.kind, toHex(x.publicKey), x.height]),
      ev.byzantineValidators.map((k) => ['light-client-attack', toHex(k), 31]),
    );
    assert.throws(() => evidencePool.addEvidence(bytes.subarray(1)), rule('malformed'));
  });
});
