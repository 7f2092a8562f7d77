/** Simulator options, their defaults, and the seeded record counts per scale. */
import type { FaultRule } from "./faults.js";
import type { Scale } from "./object-types.js";
import type { Tier } from "./rate-limit.js";

export interface SimulatorOptions {
  /** Seed of every generated value (default 1). */
  seed?: number;
  /** Record counts preset (default "small"): ≈ hundreds / tens of thousands / 1,000,000 contacts. */
  scale?: Scale;
  /** Per-type counts overriding the scale ("contacts", "companies", "p_cars", …, any alias). */
  counts?: Record<string, number>;
  /** Rate-limit tier (default "pro"). */
  tier?: Tier;
  /** false disables every rate limit (headers are still sent). */
  rateLimits?: boolean;
  /** Override the tier's 10-second burst and/or daily budget (e.g. a tiny daily budget in tests). */
  limits?: { burst?: number; daily?: number };
  /** Clock the rate limits run on: "wall" (default; a real client is limited in real time) or "simulated". */
  rateLimitClock?: "wall" | "simulated";
  faults?: FaultRule[];
  /** Uniform extra latency per response, [min, max] ms. */
  latencyMs?: [number, number];
  /** Search responses wait `latencyMs` × this (default 1): HubSpot's search answers slower than list. */
  searchLatencyFactor?: number;
  /** When > 0, changes younger than this (simulated or wall clock) are not yet visible to search. */
  searchIndexLagMs?: number;
  /**
   * During that lag a changed record is missing from search altogether (default: search shows its previous
   * version). Both happen on HubSpot, whose docs say only that changes "may take a few moments" to appear.
   */
  searchIndexLagHides?: boolean;
  oauth?: { accessTokenTtlSec?: number; rotateRefreshToken?: boolean };
  /**
   * How CRM list cursors (`paging.next.after`) are written: the next id itself (default), or base64 of it with a
   * newline, URL-encoded, as HubSpot's API reference shows them ("NTI1Cg%3D%3D").
   */
  listCursor?: "id" | "base64";
  /** Longest accepted request-target (path + query) before 414 (default 16300). */
  maxRequestTargetLength?: number;
  port?: number;
  host?: string;
  /** Initial simulated clock (epoch ms or ISO); default 2026-11-01T00:00:00Z so output is reproducible. */
  now?: number | string;
  /** Custom properties on contacts (other types get a share of it); default 50. */
  propertiesPerObject?: number;
  /** Active / archived owners (default by scale). */
  owners?: { active: number; archived: number };
}

export const DEFAULT_NOW = Date.parse("2026-11-01T00:00:00.000Z");

export function resolveNow(now: number | string | undefined): number {
  if (now === undefined) return DEFAULT_NOW;
  const ms = typeof now === "number" ? now : Date.parse(now);
  if (!Number.isFinite(ms)) throw new Error(`invalid now: ${now}`);
  return ms;
}

export const OWNER_COUNTS: Record<Scale, [number, number]> = {
  small: [12, 3],
  medium: [80, 15],
  large: [400, 60],
};
