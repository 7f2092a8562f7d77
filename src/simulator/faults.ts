/**
 * Fault injection per route: by probability (drawn deterministically from the seed and the rule's match
 * count) or on scripted n-th matching requests.
 */
import { hash2, hashString, mix32, unit } from "./rng.js";

export type FaultKind =
  | "429"
  | "500"
  | "502"
  | "503"
  | "504"
  | "reset"
  | "slow-headers"
  | "slow-body"
  | "truncated-body"
  | "invalid-json"
  | "html";

export const FAULT_KINDS: readonly FaultKind[] = [
  "429",
  "500",
  "502",
  "503",
  "504",
  "reset",
  "slow-headers",
  "slow-body",
  "truncated-body",
  "invalid-json",
  "html",
];

export interface FaultRule {
  /** A route pattern ("/crm/v3/objects/:type") or a substring of the request path; all routes when absent. */
  route?: string;
  kind: FaultKind;
  probability?: number;
  /** 1-based numbers of the matching requests that fail. */
  nth?: number[];
  /** For slow-headers / slow-body (default 2000 ms). */
  delayMs?: number;
}

/**
 * Parses the CLI form: comma-separated `kind[@route]:probability`, e.g.
 * `429:0.01,reset:0.005,500@/crm/v3/objects/contacts:0.02`; `kind[@route]#3#7` fails the 3rd and 7th match.
 */
export function parseFaults(spec: string | undefined): FaultRule[] {
  if (!spec?.trim()) return [];
  return spec.split(",").map((part) => {
    const p = part.trim();
    const m = /^([a-z0-9-]+)(?:@([^:#]+))?(?::([0-9.]+))?((?:#\d+)*)$/.exec(p);
    if (!m || !FAULT_KINDS.includes(m[1] as FaultKind)) throw new Error(`invalid fault spec "${p}"`);
    const rule: FaultRule = { kind: m[1] as FaultKind };
    if (m[2]) rule.route = m[2];
    if (m[3]) {
      const prob = Number(m[3]);
      if (!(prob >= 0 && prob <= 1)) throw new Error(`invalid fault probability in "${p}"`);
      rule.probability = prob;
    }
    if (m[4]) rule.nth = m[4].split("#").filter(Boolean).map(Number);
    if (rule.probability === undefined && !rule.nth) throw new Error(`fault "${p}" needs :probability or #n`);
    return rule;
  });
}

/** Decides which fault (if any) hits a request. */
export class FaultPlan {
  private readonly counts: number[];
  constructor(
    private readonly rules: readonly FaultRule[],
    private readonly seed: number,
  ) {
    this.counts = rules.map(() => 0);
  }

  pick(pattern: string, path: string): FaultRule | undefined {
    let hit: FaultRule | undefined;
    this.rules.forEach((r, i) => {
      if (r.route && r.route !== pattern && !path.includes(r.route)) return;
      const n = ++this.counts[i]!;
      if (hit) return;
      if (r.nth?.includes(n)) hit = r;
      else if (r.probability && unit(hash2(hash2(mix32(this.seed), hashString(r.kind) + i), n)) < r.probability)
        hit = r;
    });
    return hit;
  }
}
