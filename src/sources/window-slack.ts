/**
 * How much longer than HubSpot's window our rate budget's window is. A request granted at t reaches HubSpot at
 * t + a delay that varies (event loop, sockets, network); when an early request is delayed more than a later
 * one, HubSpot counts both in one window and answers 429. The slack covers that jitter: it widens after a 429
 * and narrows back, slowly, while answers are clean (additive increase, slow decrease). Pure; table-tested.
 */
export interface SlackRules {
  /** Slack to start from and never go below (ms). */
  base: number;
  /** Added on each 429 (ms). */
  step: number;
  /** Never above this (ms). */
  max: number;
  /** Clean answers after which the slack narrows by `step / 5`. */
  cleanRun: number;
}

export class WindowSlack {
  private slack: number;
  private clean = 0;

  constructor(private readonly rules: SlackRules) {
    this.slack = rules.base;
  }

  get ms(): number {
    return this.slack;
  }

  /** A 429: the jitter was larger than the slack. Returns the new slack. */
  rateLimited(): number {
    this.clean = 0;
    this.slack = Math.min(this.rules.max, this.slack + this.rules.step);
    return this.slack;
  }

  /** A clean answer. Returns the new slack. */
  answered(): number {
    if (this.slack <= this.rules.base) return this.slack;
    if (++this.clean >= this.rules.cleanRun) {
      this.clean = 0;
      this.slack = Math.max(this.rules.base, this.slack - this.rules.step / 5);
    }
    return this.slack;
  }
}
