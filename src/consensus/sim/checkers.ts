/**
 * Safety and liveness checkers over what honest nodes did. They take plain observations (decisions, signed
 * votes, commit heights) so the same checks serve the simulator, the ITF trace replay and any later e2e run.
 * Each returns a list of human-readable violations (empty when the property holds).
 */

/** One node's decision at one height. */
export interface DecisionRecord {
  node: string;
  height: number;
  value: string;
}

/** Agreement: no two nodes decide different values at the same height. */
export function checkAgreement(decisions: Iterable<DecisionRecord>): string[] {
  const first = new Map<number, DecisionRecord>();
  const violations: string[] = [];
  for (const d of decisions) {
    const f = first.get(d.height);
    if (f === undefined) first.set(d.height, d);
    else if (f.value !== d.value) {
      violations.push(
        `agreement: height ${d.height}: ${f.node} decided ${f.value}, ${d.node} decided ${d.value}`,
      );
    }
  }
  return violations;
}

/** Validity: every decided value satisfies the validity predicate. */
export function checkValidity(
  decisions: Iterable<DecisionRecord>,
  isValid: (d: DecisionRecord) => boolean,
): string[] {
  const violations: string[] = [];
  for (const d of decisions) {
    if (!isValid(d)) violations.push(`validity: height ${d.height}: ${d.node} decided invalid ${d.value}`);
  }
  return violations;
}

/** A vote an honest node signed. */
export interface SignedVoteRecord {
  node: string;
  height: number;
  round: number;
  /** 'prevote' | 'precommit' | 'proposal'. */
  type: string;
  value: string | null;
}

/** No honest node signs two different messages for the same (height, round, type). */
export function checkNoEquivocation(votes: Iterable<SignedVoteRecord>): string[] {
  const seen = new Map<string, SignedVoteRecord>();
  const violations: string[] = [];
  for (const v of votes) {
    const key = `${v.node}/${v.height}/${v.round}/${v.type}`;
    const prev = seen.get(key);
    if (prev === undefined) seen.set(key, v);
    else if (prev.value !== v.value) {
      violations.push(
        `equivocation: ${v.node} signed ${v.type} ${prev.value} and ${v.value} at ${v.height}/${v.round}`,
      );
    }
  }
  return violations;
}

/**
 * Liveness after healing: each honest node's committed height grew by at least `minNewHeights` between the
 * heal instant and the end of the run.
 */
export function checkLiveness(
  heightAtHeal: ReadonlyMap<string, number>,
  heightAtEnd: ReadonlyMap<string, number>,
  minNewHeights: number,
): string[] {
  const violations: string[] = [];
  for (const [node, start] of [...heightAtHeal].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const end = heightAtEnd.get(node) ?? start;
    if (end - start < minNewHeights) {
      violations.push(
        `liveness: ${node} committed ${end - start} heights after healing (< ${minNewHeights})`,
      );
    }
  }
  return violations;
}
