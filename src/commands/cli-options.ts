/**
 * Parsers for command-line values yargs cannot check by type alone. Each throws a config-kind
 * {@link SourceError} (exit code 2) whose message is one line naming the flag and the value.
 */
import { SourceError } from "../errors.js";

/** A bad command line: exit code 2, one line, never a stack. */
export function usageError(message: string): SourceError {
  return new SourceError(message, "USAGE_INVALID", "config");
}

/**
 * A comma list of names, blanks dropped; at least one.
 *
 * @example
 * parseList("--sink", "ndjson, parquet"); // ["ndjson", "parquet"]
 */
export function parseList(flag: string, value: string): string[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!names.length) throw usageError(`${flag}: name at least one (a comma list), got ${JSON.stringify(value)}`);
  return names;
}

/** A finite number of seconds ≥ 0 (0: at every page). */
export function parseSeconds(flag: string, value: unknown): number {
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (String(value).trim() === "" || !Number.isFinite(n) || n < 0) {
    throw usageError(`${flag}: must be a number of seconds ≥ 0, got ${JSON.stringify(String(value))}`);
  }
  return n;
}

/** A whole number ≥ 1. */
export function parseCount(flag: string, value: unknown): number {
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw usageError(`${flag}: must be a whole number ≥ 1, got ${JSON.stringify(String(value))}`);
  }
  return n;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for typo hints. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The candidate a typo most likely meant, or undefined when none is close: within a third of the
 * name's length (at least 1, at most 3 edits), ties going to the first candidate.
 *
 * @example
 * closestName("contcts", ["companies", "contacts"]); // "contacts"
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const budget = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const match = closestName(name, candidates);
  return match ? ` (did you mean "${match}"?)` : "";
}
