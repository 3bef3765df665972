/**
 * Governance state under oasis-core's prefixes: next proposal id 0x80, proposals 0x81 ‖ id, the active
 * index 0x82 ‖ closes_at ‖ id, votes 0x83 ‖ id ‖ voter, pending upgrades 0x84 ‖ epoch ‖ id, parameters
 * 0x85. Ids and epochs are big-endian u64, so key order is (closes_at, id) and (epoch, id).
 */
import { u64be } from '../../codec/bytes.ts';
import { decodeOwnCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { u64 } from '../../codec/schema.ts';
import type { Address } from '../../crypto/address.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import { type GovernanceParameters, governanceParametersCodec } from './api/params.ts';
import { type Proposal, proposalCodec, type VoteEntry, voteEntryCodec } from './api/proposal.ts';

const EMPTY = new Uint8Array(0);
const ID = 8;
const proposalKey = (id: bigint) => makeKey(KeyPrefix.governanceProposals, u64be(id));
const activeKey = (closesAt: bigint, id: bigint) =>
  makeKey(KeyPrefix.governanceActiveProposals, u64be(closesAt), u64be(id));
const voteKey = (id: bigint, voter: Address) => makeKey(KeyPrefix.governanceVotes, u64be(id), voter);
const upgradeKey = (epoch: bigint, id: bigint) =>
  makeKey(KeyPrefix.governancePendingUpgrades, u64be(epoch), u64be(id));
const readU64 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset + at, 8).getBigUint64(0);

/** Read-only governance state. */
export class GovernanceStateReader {
  constructor(readonly state: StateReader) {}

  /** True once parameters are stored (genesis loaded). */
  hasParameters(): boolean {
    return this.state.get(makeKey(KeyPrefix.governanceParameters)) !== undefined;
  }

  /** Parameters; throws before genesis. */
  parameters(): GovernanceParameters {
    const v = this.state.get(makeKey(KeyPrefix.governanceParameters));
    if (v === undefined) throw new Error('governance: consensus parameters not initialized');
    return governanceParametersCodec.decode(decodeOwnCanonical(v), 'params');
  }

  /** The id the next proposal gets (1 on an empty chain). */
  nextProposalId(): bigint {
    const v = this.state.get(makeKey(KeyPrefix.governanceNextProposalId));
    return v === undefined ? 1n : u64(decodeOwnCanonical(v), 'next_proposal_id');
  }

  /** A proposal by id. */
  proposal(id: bigint): Proposal | undefined {
    const v = this.state.get(proposalKey(id));
    return v === undefined ? undefined : proposalCodec.decode(decodeOwnCanonical(v), 'proposal');
  }

  /** Every proposal, by id. */
  proposals(): Proposal[] {
    return [...this.state.entries(makeKey(KeyPrefix.governanceProposals))].map(([, v]) =>
      proposalCodec.decode(decodeOwnCanonical(v), 'proposal'),
    );
  }

  /** Active proposals in (closes_at, id) order. */
  activeProposals(): Proposal[] {
    return this.#indexed(KeyPrefix.governanceActiveProposals);
  }

  /** Active proposals closing at `epoch`, by id. */
  proposalsClosingAt(epoch: bigint): Proposal[] {
    return this.#indexed(KeyPrefix.governanceActiveProposals, u64be(epoch));
  }

  /** Proposals of pending upgrades in (epoch, id) order. */
  pendingUpgradeProposals(): Proposal[] {
    return this.#indexed(KeyPrefix.governancePendingUpgrades);
  }

  /** The votes on a proposal, by voter address. */
  votes(id: bigint): VoteEntry[] {
    const prefix = makeKey(KeyPrefix.governanceVotes, u64be(id));
    return [...this.state.entries(prefix)].map(([k, v]) =>
      voteEntryCodec.decode(
        new Map([
          ['voter', k.subarray(prefix.length)],
          ['vote', decodeOwnCanonical(v)],
        ]),
        'vote',
      ),
    );
  }

  #indexed(prefix: number, ...parts: Uint8Array[]): Proposal[] {
    const out: Proposal[] = [];
    for (const [k] of this.state.entries(makeKey(prefix, ...parts))) {
      const p = this.proposal(readU64(k, 1 + ID));
      if (p === undefined) throw new Error('governance: index names a missing proposal');
      out.push(p);
    }
    return out;
  }
}

/** Read-write governance state. */
export class GovernanceState extends GovernanceStateReader {
  declare readonly state: StateWriter;

  constructor(state: StateWriter) {
    super(state);
  }

  setParameters(p: GovernanceParameters): void {
    this.state.set(
      makeKey(KeyPrefix.governanceParameters),
      encodeCanonical(governanceParametersCodec.encode(p)),
    );
  }

  setNextProposalId(id: bigint): void {
    this.state.set(makeKey(KeyPrefix.governanceNextProposalId), encodeCanonical(id));
  }

  /** Stores a proposal (the active index is kept separately). */
  setProposal(p: Proposal): void {
    this.state.set(proposalKey(p.id), encodeCanonical(proposalCodec.encode(p)));
  }

  setActive(p: Proposal): void {
    this.state.set(activeKey(p.closes_at, p.id), EMPTY);
  }

  removeActive(p: Proposal): void {
    this.state.remove(activeKey(p.closes_at, p.id));
  }

  /** Records (or replaces) `voter`'s vote. */
  setVote(id: bigint, voter: Address, vote: number): void {
    this.state.set(voteKey(id, voter), encodeCanonical(vote));
  }

  setPendingUpgrade(epoch: bigint, id: bigint): void {
    this.state.set(upgradeKey(epoch, id), EMPTY);
  }

  removePendingUpgrade(epoch: bigint, id: bigint): void {
    this.state.remove(upgradeKey(epoch, id));
  }
}
