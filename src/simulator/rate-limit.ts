/**
 * HubSpot's per-account budgets on the wall clock (a real client must be limited in real time): a 10-second
 * rolling window by tier, a separate 5-per-second window for search, and a daily counter.
 */
import type { LimitClass } from "./types.js";

export type Tier = "free" | "pro" | "enterprise" | "addon";

export const TIERS: Record<Tier, { burst: number; daily: number }> = {
  free: { burst: 100, daily: 250_000 },
  pro: { burst: 190, daily: 625_000 },
  enterprise: { burst: 190, daily: 1_000_000 },
  addon: { burst: 250, daily: 2_000_000 },
};

/** OAuth apps: 100 per 10 s per account, no daily cap (and no daily headers). */
const OAUTH_BURST = 100;
const SEARCH_PER_SECOND = 5;

/** A rolling window of request times (head index instead of shifting, so high request rates stay cheap). */
class Window {
  private times: number[] = [];
  private head = 0;
  constructor(readonly ms: number) {}
  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.ms) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
  add(now: number): void {
    this.times.push(now);
  }
  /** Ms until the oldest entry leaves the window. */
  waitMs(now: number): number {
    return this.head < this.times.length ? Math.max(0, this.times[this.head]! + this.ms - now) : 0;
  }
  /** Entries in the last `ms`, counting at most `cap` (callers only need to know "cap or more"). */
  countSince(now: number, ms: number, cap: number): number {
    let c = 0;
    for (let i = this.times.length - 1; i >= this.head && this.times[i]! > now - ms && c < cap; i--) c++;
    return c;
  }
}

export type LimitDecision =
  | { ok: true; headers: Record<string, string> }
  | {
      ok: false;
      policy: "TEN_SECONDLY_ROLLING" | "SECONDLY_SEARCH" | "DAILY";
      retryAfterSec: number;
      headers: Record<string, string>;
    };

export class RateLimiter {
  private readonly standard = new Window(10_000);
  private readonly oauthStandard = new Window(10_000);
  private readonly search = new Window(1000);
  private dailyUsed = 0;
  private dayKey = "";

  private readonly burst: number;
  private readonly dailyMax: number;

  constructor(
    readonly tier: Tier,
    private readonly enabled: boolean,
    /** Overrides of the tier's figures (tests use a tiny daily budget). */
    overrides: { burst?: number; daily?: number } = {},
    /** The clock limits are measured on (wall by default, so a real client is limited in real time). */
    private readonly clock: () => number = Date.now,
  ) {
    this.burst = overrides.burst ?? TIERS[tier].burst;
    this.dailyMax = overrides.daily ?? TIERS[tier].daily;
  }

  get daily(): number {
    return this.dailyMax;
  }
  dailyUsage(now = this.clock()): number {
    this.rollDay(now);
    return this.dailyUsed;
  }
  /** Next UTC midnight (the simulated account's time zone is UTC). */
  resetsAt(now = this.clock()): number {
    return (Math.floor(now / 86_400_000) + 1) * 86_400_000;
  }

  private rollDay(now: number): void {
    const key = new Date(now).toISOString().slice(0, 10);
    if (key !== this.dayKey) {
      this.dayKey = key;
      this.dailyUsed = 0;
    }
  }

  /** Decides one request and, if allowed, counts it. */
  take(cls: LimitClass, oauth: boolean, now = this.clock()): LimitDecision {
    this.rollDay(now);
    const daily = this.dailyMax;
    const dailyHeaders = (): Record<string, string> =>
      oauth
        ? {}
        : {
            "X-HubSpot-RateLimit-Daily": String(daily),
            "X-HubSpot-RateLimit-Daily-Remaining": String(Math.max(0, daily - this.dailyUsed)),
          };
    if (this.enabled && !oauth && this.dailyUsed >= daily) {
      return {
        ok: false,
        policy: "DAILY",
        retryAfterSec: Math.ceil((this.resetsAt(now) - now) / 1000),
        headers: dailyHeaders(),
      };
    }
    if (cls === "search") {
      if (this.enabled && this.search.count(now) >= SEARCH_PER_SECOND) {
        return { ok: false, policy: "SECONDLY_SEARCH", retryAfterSec: 1, headers: dailyHeaders() };
      }
      this.search.add(now);
      this.dailyUsed++;
      return { ok: true, headers: dailyHeaders() };
    }
    if (cls === "exempt") {
      this.dailyUsed++;
      return { ok: true, headers: dailyHeaders() };
    }
    const win = oauth ? this.oauthStandard : this.standard;
    const max = oauth ? OAUTH_BURST : this.burst;
    const used = win.count(now);
    const burstHeaders = (usedNow: number): Record<string, string> => ({
      ...dailyHeaders(),
      "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
      "X-HubSpot-RateLimit-Max": String(max),
      "X-HubSpot-RateLimit-Remaining": String(Math.max(0, max - usedNow)),
      "X-HubSpot-RateLimit-Secondly": String(Math.floor(max / 10)),
      "X-HubSpot-RateLimit-Secondly-Remaining": String(
        Math.max(0, Math.floor(max / 10) - win.countSince(now, 1000, max)),
      ),
    });
    if (this.enabled && used >= max) {
      return {
        ok: false,
        policy: "TEN_SECONDLY_ROLLING",
        retryAfterSec: Math.max(1, Math.ceil(win.waitMs(now) / 1000)),
        headers: burstHeaders(used),
      };
    }
    win.add(now);
    this.dailyUsed++;
    return { ok: true, headers: burstHeaders(used + 1) };
  }
}
