/**
 * The paper's Algorithm 1 ("The latest gossip on BFT consensus") for one height, as a deterministic state
 * machine: `apply(input)` updates the state and returns the effects to perform. No clock, network, crypto
 * or randomness: the same inputs in the same order always give the same state and outputs, which is what
 * makes WAL replay and the simulator exact.
 *
 * The state is updated in place (state' is the same object) so a vote costs O(1), not a copy of the vote
 * log. After every input all upon-rules are re-evaluated in a fixed priority order until none fires, so a
 * rule enabled by a step or round change (not only by a message) is never missed. Unlike CometBFT, a lock
 * is never released within a height (the paper relies on L28 instead), and rounds are skipped on f+1.
 * Each sender counts once per (round, type) toward "any" thresholds; an equivocator's later vote also
 * counts for its own value when that value is nil or was proposed (the paper's reading, needed for
 * liveness; see vote_keeper.ts).
 */
import {
  DEFAULT_TIMEOUTS,
  type EngineInput,
  type EngineOutput,
  type EngineParams,
  type Step,
  timeoutFor,
  type ValueId,
  type VoteKind,
} from './types.ts';
import { VoteKeeper } from './vote_keeper.ts';

/** Default DoS bound on buffered future rounds per sender (CometBFT allows 2 catch-up rounds per peer). */
export const DEFAULT_MAX_FUTURE_ROUNDS_PER_SENDER = 2;
/**
 * Messages more than this many rounds ahead are ignored: finding round r's proposer costs O(n·r), and
 * correct processes never drift that far apart (timeouts grow with the round).
 */
export const MAX_ROUNDS_AHEAD = 10_000;

/** A proposal the engine accepted (first one from the round's proposer). */
export interface AcceptedProposal {
  value: ValueId;
  polRound: number;
  valid: boolean;
  sender: string;
}

/** The decision of a height. */
export interface Decision {
  round: number;
  value: ValueId;
}

type Rule = 'L34' | 'L36' | 'L47';

/** Consensus for one height (the driver creates a new engine per height). */
export class ConsensusEngine {
  readonly height: number;
  readonly votes: VoteKeeper;
  round = 0;
  step: Step = 'propose';
  decision: Decision | null = null;
  lockedValue: ValueId | null = null;
  lockedRound = -1;
  validValue: ValueId | null = null;
  validRound = -1;

  readonly #params: EngineParams;
  readonly #maxFutureRounds: number;
  readonly #proposals = new Map<number, AcceptedProposal>();
  /** Values proposed at this height: the only ones an equivocator's extra votes may count for. */
  readonly #proposedValues = new Set<ValueId>();
  readonly #countExtra: boolean;
  readonly #proposers = new Map<number, string>();
  readonly #fired = new Set<string>();
  readonly #commitRounds = new Set<number>();
  readonly #senderRounds = new Map<string, Set<number>>();
  #awaitingValueFor = -1;
  #started = false;
  #out: EngineOutput[] = [];

  constructor(params: EngineParams) {
    this.height = params.height;
    this.#params = params;
    this.#maxFutureRounds = params.maxFutureRoundsPerSender ?? DEFAULT_MAX_FUTURE_ROUNDS_PER_SENDER;
    this.votes = new VoteKeeper(params.powers);
    this.#countExtra = (params.countingPolicy ?? 'perValue') === 'perValue';
  }

  /** The proposal accepted for `round`, if any. */
  proposal(round: number): AcceptedProposal | undefined {
    return this.#proposals.get(round);
  }

  /** proposer(h, r), memoised. */
  proposerOf(round: number): string {
    let p = this.#proposers.get(round);
    if (p === undefined) this.#proposers.set(round, (p = this.#params.proposer(round)));
    return p;
  }

  /** L10: StartRound(0). Call once. */
  start(): EngineOutput[] {
    if (this.#started) return [];
    this.#started = true;
    this.#startRound(0);
    return this.#finish();
  }

  /** Processes one input; returns the effects it causes. */
  apply(input: EngineInput): EngineOutput[] {
    if (!this.#started) throw new Error('engine not started');
    switch (input.kind) {
      case 'proposal':
        this.#onProposal(input);
        break;
      case 'vote':
        this.#onVote(input.type, input.round, input.sender, input.value);
        break;
      case 'timeout':
        this.#onTimeout(input.step, input.round);
        break;
      case 'proposeValue':
        if (this.decision === null && input.round === this.#awaitingValueFor && this.round === input.round) {
          this.#awaitingValueFor = -1;
          this.#emit({ kind: 'proposal', round: input.round, value: input.value, polRound: -1 });
        }
        break;
    }
    return this.#finish();
  }

  #finish(): EngineOutput[] {
    if (this.decision === null) this.#evaluate();
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #emit(o: EngineOutput): void {
    this.#out.push(o);
  }

  /**
   * DoS guard: whether a message of `sender` for `round` would be kept. A sender may occupy only a few
   * rounds above ours; the driver asks before verifying or storing anything.
   */
  admits(round: number, sender: string): boolean {
    if (round < 0 || !Number.isSafeInteger(round) || round > this.round + MAX_ROUNDS_AHEAD) return false;
    const rounds = this.#senderRounds.get(sender);
    if (rounds?.has(round) || round <= this.round) return true;
    let future = 0;
    for (const r of rounds ?? []) if (r > this.round) future++;
    return future < this.#maxFutureRounds;
  }

  #admit(round: number, sender: string): boolean {
    if (!this.admits(round, sender)) return false;
    let rounds = this.#senderRounds.get(sender);
    if (rounds === undefined) this.#senderRounds.set(sender, (rounds = new Set()));
    rounds.add(round);
    return true;
  }

  #onProposal(p: Extract<EngineInput, { kind: 'proposal' }>): void {
    if (this.decision !== null) return;
    if (p.polRound < -1 || p.polRound >= p.round || !this.admits(p.round, p.sender)) return;
    if (p.sender !== this.proposerOf(p.round)) return;
    const existing = this.#proposals.get(p.round);
    if (existing !== undefined) {
      if (existing.value !== p.value) {
        this.#emit({
          kind: 'conflictingProposal',
          round: p.round,
          sender: p.sender,
          first: existing.value,
          second: p.value,
        });
      }
      return;
    }
    if (!this.#admit(p.round, p.sender)) return;
    this.#proposals.set(p.round, { value: p.value, polRound: p.polRound, valid: p.valid, sender: p.sender });
    this.#proposedValues.add(p.value);
    this.votes.noteSender(p.round, p.sender);
  }

  #onVote(type: VoteKind, round: number, sender: string, value: ValueId | null): void {
    if (this.votes.powerOf(sender) === 0n || !this.#admit(round, sender)) return;
    const extra = this.#countExtra && (value === null || this.#proposedValues.has(value));
    const r = this.votes.add(type, round, sender, value, extra);
    if (r.kind === 'conflict') {
      this.#emit({ kind: 'equivocation', type, round, sender, first: r.first, second: value });
    }
    if (r.kind !== 'duplicate' && r.kind !== 'unknownSender' && type === 'precommit' && value !== null) {
      if (this.votes.isQuorum(this.votes.powerFor('precommit', round, value))) this.#commitRounds.add(round);
    }
  }

  #onTimeout(step: Step, round: number): void {
    if (this.decision !== null || round !== this.round) return;
    if (step === 'propose' && this.step === 'propose') {
      // L57–60
      this.#vote('prevote', null);
      this.step = 'prevote';
    } else if (step === 'prevote' && this.step === 'prevote') {
      // L61–64
      this.#vote('precommit', null);
      this.step = 'precommit';
    } else if (step === 'precommit') {
      // L65–67
      this.#startRound(round + 1);
    }
  }

  #vote(type: VoteKind, value: ValueId | null): void {
    this.#emit({ kind: 'vote', type, round: this.round, value });
  }

  /** L11–21. */
  #startRound(round: number): void {
    this.round = round;
    this.step = 'propose';
    this.#awaitingValueFor = -1;
    if (this.#params.self !== null && this.proposerOf(round) === this.#params.self) {
      if (this.validValue !== null) {
        this.#emit({ kind: 'proposal', round, value: this.validValue, polRound: this.validRound });
      } else {
        this.#awaitingValueFor = round;
        this.#emit({ kind: 'requestValue', round });
      }
    } else {
      this.#schedule('propose', round);
    }
  }

  #schedule(step: Step, round: number): void {
    const durationMs = timeoutFor(this.#params.timeouts ?? DEFAULT_TIMEOUTS, step, round);
    this.#emit({ kind: 'scheduleTimeout', step, round, durationMs });
  }

  #firstTime(rule: Rule): boolean {
    const key = `${rule}:${this.round}`;
    if (this.#fired.has(key)) return false;
    this.#fired.add(key);
    return true;
  }

  /** Applies upon-rules until quiet. Priority: decide, current-round rules, then round skip. */
  #evaluate(): void {
    while (this.decision === null && this.#applyOneRule()) {
      // keep going: each fired rule may enable another
    }
  }

  #applyOneRule(): boolean {
    return (
      this.#ruleDecide() ||
      this.#ruleFreshProposal() ||
      this.#ruleReProposal() ||
      this.#rulePolkaValue() ||
      this.#rulePolkaNil() ||
      this.#rulePolkaAny() ||
      this.#rulePrecommitAny() ||
      this.#ruleRoundSkip()
    );
  }

  /** L49–54: proposal + 2f+1 precommits for it in any round, and valid(v). */
  #ruleDecide(): boolean {
    for (const r of this.#commitRounds) {
      const p = this.#proposals.get(r);
      if (p === undefined || !p.valid) continue;
      if (!this.votes.isQuorum(this.votes.powerFor('precommit', r, p.value))) continue;
      this.decision = { round: r, value: p.value };
      this.#emit({ kind: 'decide', round: r, value: p.value });
      return true;
    }
    return false;
  }

  /** L22–27. */
  #ruleFreshProposal(): boolean {
    const p = this.#proposals.get(this.round);
    if (p === undefined || p.polRound !== -1 || this.step !== 'propose') return false;
    const ok = p.valid && (this.lockedRound === -1 || this.lockedValue === p.value);
    this.#vote('prevote', ok ? p.value : null);
    this.step = 'prevote';
    return true;
  }

  /** L28–33. */
  #ruleReProposal(): boolean {
    const p = this.#proposals.get(this.round);
    if (p === undefined || p.polRound < 0 || this.step !== 'propose') return false;
    if (!this.votes.isQuorum(this.votes.powerFor('prevote', p.polRound, p.value))) return false;
    const ok = p.valid && (this.lockedRound <= p.polRound || this.lockedValue === p.value);
    this.#vote('prevote', ok ? p.value : null);
    this.step = 'prevote';
    return true;
  }

  /** L36–43 (fires once per round, also when already in precommit). */
  #rulePolkaValue(): boolean {
    const p = this.#proposals.get(this.round);
    if (p === undefined || !p.valid || this.step === 'propose') return false;
    if (this.#fired.has(`L36:${this.round}`)) return false;
    if (!this.votes.isQuorum(this.votes.powerFor('prevote', this.round, p.value))) return false;
    this.#firstTime('L36');
    if (this.step === 'prevote') {
      this.lockedValue = p.value;
      this.lockedRound = this.round;
      this.#vote('precommit', p.value);
      this.step = 'precommit';
    }
    this.validValue = p.value;
    this.validRound = this.round;
    return true;
  }

  /** L44–46. */
  #rulePolkaNil(): boolean {
    if (this.step !== 'prevote') return false;
    if (!this.votes.isQuorum(this.votes.powerFor('prevote', this.round, null))) return false;
    this.#vote('precommit', null);
    this.step = 'precommit';
    return true;
  }

  /** L34–35. */
  #rulePolkaAny(): boolean {
    if (this.step !== 'prevote' || this.#fired.has(`L34:${this.round}`)) return false;
    if (!this.votes.isQuorum(this.votes.powerAny('prevote', this.round))) return false;
    this.#firstTime('L34');
    this.#schedule('prevote', this.round);
    return true;
  }

  /** L47–48. */
  #rulePrecommitAny(): boolean {
    if (this.#fired.has(`L47:${this.round}`)) return false;
    if (!this.votes.isQuorum(this.votes.powerAny('precommit', this.round))) return false;
    this.#firstTime('L47');
    this.#schedule('precommit', this.round);
    return true;
  }

  /** L55–56: f+1 senders of a higher round: jump to the highest such round. */
  #ruleRoundSkip(): boolean {
    let target = -1;
    for (const r of this.votes.rounds()) {
      if (r > this.round && this.votes.isSkip(this.votes.senderPower(r))) target = r;
    }
    if (target < 0) return false;
    this.#startRound(target);
    return true;
  }
}
