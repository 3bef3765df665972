/**
 * Checks an import graph against the layer rules of `layers.json` (DESIGN.md "Layers" as data): each file
 * belongs to the part whose path pattern matches it most specifically, and a part may import only itself,
 * the parts its rule lists and the shared leaves. Listed exceptions (known breaches being fixed elsewhere)
 * are let through; an exception that no longer matches anything is itself reported, so the list only shrinks.
 */
import type { ImportEdge } from './import_graph.ts';

/** A known breach, allowed until its fix lands. */
export interface LayerException {
  from: string;
  to: string;
  why: string;
}

/** The layer data: parts by path pattern, what each part may import, and known exceptions. */
export interface LayerRules {
  /** Part name → path patterns (`dir/` for a folder, a file path, `*` for one path segment). */
  parts: Record<string, string[]>;
  /** Parts every part may import. */
  shared: string[];
  /** Part name → parts it may import (besides itself and the shared ones). */
  rules: Record<string, string[]>;
  exceptions: LayerException[];
}

/** Why an import or a rule is wrong, readably. */
export interface Violation {
  message: string;
}

function patternMatches(pattern: string, file: string): boolean {
  const p = pattern.split('/');
  const f = file.split('/');
  const folder = pattern.endsWith('/');
  if (folder) p.pop();
  if (folder ? f.length <= p.length : f.length !== p.length) return false;
  return p.every((seg, i) => seg === '*' || seg === f[i]);
}

/** Longer patterns with fewer wildcards are more specific. */
function specificity(pattern: string): number {
  return (
    pattern.split('/').length * 100 -
    (pattern.match(/\*/g)?.length ?? 0) * 10 +
    (pattern.endsWith('/') ? 0 : 1)
  );
}

/** The part `file` belongs to (the most specific matching pattern), or undefined. */
export function partOf(rules: LayerRules, file: string): string | undefined {
  let best: { part: string; score: number } | undefined;
  for (const [part, patterns] of Object.entries(rules.parts)) {
    for (const pattern of patterns) {
      if (!patternMatches(pattern, file)) continue;
      const score = specificity(pattern);
      if (!best || score > best.score) best = { part, score };
    }
  }
  return best?.part;
}

function ruleProblems(rules: LayerRules): Violation[] {
  const known = new Set(Object.keys(rules.parts));
  const named = [...rules.shared, ...Object.keys(rules.rules), ...Object.values(rules.rules).flat()];
  const problems = named
    .filter((p) => !known.has(p))
    .map((p) => ({ message: `layers.json names unknown part "${p}"` }));
  for (const part of known) {
    if (!rules.rules[part] && !rules.shared.includes(part))
      problems.push({ message: `layers.json has no rule for part "${part}"` });
  }
  return problems;
}

/** Every import of `graph` that the rules forbid, every file in no part, and every stale exception. */
export function checkLayers(rules: LayerRules, graph: readonly ImportEdge[]): Violation[] {
  const violations = ruleProblems(rules);
  const usedExceptions = new Set<LayerException>();
  const unplaced = new Set<string>();
  for (const edge of graph) {
    const from = partOf(rules, edge.from);
    const to = partOf(rules, edge.to);
    for (const [file, part] of [
      [edge.from, from],
      [edge.to, to],
    ] as const) {
      if (part === undefined && !unplaced.has(file)) {
        unplaced.add(file);
        violations.push({ message: `${file} belongs to no part of layers.json` });
      }
    }
    if (from === undefined || to === undefined || from === to || rules.shared.includes(to)) continue;
    if (rules.rules[from]?.includes(to)) continue;
    const exception = rules.exceptions.find((e) => e.from === edge.from && e.to === edge.to);
    if (exception) {
      usedExceptions.add(exception);
      continue;
    }
    violations.push({
      message: `${edge.from}:${edge.line} imports '${edge.specifier}': part "${from}" may not import part "${to}" (layers.json rules.${from})`,
    });
  }
  for (const e of rules.exceptions) {
    if (!usedExceptions.has(e))
      violations.push({ message: `layers.json exception ${e.from} -> ${e.to} no longer occurs: delete it` });
  }
  return violations;
}
