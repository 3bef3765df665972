/** Signed votes and a chain view shared by the evidence tests. */
import { toHex } from '../../../src/codec/bytes.ts';
import { MessageType, signVote, type Vote, type VoteType } from '../../../src/consensus/api/vote.ts';
import type { EvidenceContext } from '../../../src/consensus/evidence/verify.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';

export const chain = 'evidence-test-chain';
export const alice = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(1));
export const bob = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(2));
export const outsider = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9));
export const hashA = new Uint8Array(32).fill(0x11);
export const hashB = new Uint8Array(32).fill(0x22);

/** A vote signed by `key` (defaults: alice, prevote, height 10, round 0). */
export function vote(
  blockHash: Uint8Array | null,
  over: { key?: Ed25519KeyPair; height?: number; round?: number; type?: VoteType; timestamp?: number } = {},
): Vote {
  return signVote(
    over.key ?? alice,
    {
      type: over.type ?? MessageType.prevote,
      height: over.height ?? 10,
      round: over.round ?? 0,
      blockHash,
      timestamp: over.timestamp ?? 1_700_000_000_000,
    },
    chain,
  );
}

/** Validator set of every height: alice 10, bob 20 (total 30). */
export const powers = new Map([
  [toHex(alice.publicKey), 10n],
  [toHex(bob.publicKey), 20n],
]);

/** A verification context at `currentHeight` 20 with a 100-block evidence age and nothing committed. */
export function context(over: Partial<EvidenceContext> = {}): EvidenceContext {
  return {
    chainContext: chain,
    validatorPower: (_height, pk) => powers.get(toHex(pk)),
    totalPower: () => 30n,
    currentHeight: 20,
    maxAgeBlocks: 100,
    alreadyCommitted: () => false,
    ...over,
  };
}
