/** Request/byte counters per route pattern and status, exposed at GET /__sim/stats and via stats(). */

export interface RouteStats {
  route: string;
  status: number;
  requests: number;
  bytes: number;
}

export interface SimStats {
  totalRequests: number;
  totalBytes: number;
  rateLimited: number;
  faults: number;
  routes: RouteStats[];
}

export class StatsRecorder {
  private readonly byKey = new Map<string, RouteStats>();
  private totalRequests = 0;
  private totalBytes = 0;
  private rateLimited = 0;
  private faults = 0;

  record(route: string, status: number, bytes: number, opts: { rateLimited?: boolean; fault?: boolean } = {}): void {
    const key = `${route} ${status}`;
    let s = this.byKey.get(key);
    if (!s) {
      s = { route, status, requests: 0, bytes: 0 };
      this.byKey.set(key, s);
    }
    s.requests++;
    s.bytes += bytes;
    this.totalRequests++;
    this.totalBytes += bytes;
    if (opts.rateLimited || status === 429) this.rateLimited++;
    if (opts.fault) this.faults++;
  }

  snapshot(): SimStats {
    return {
      totalRequests: this.totalRequests,
      totalBytes: this.totalBytes,
      rateLimited: this.rateLimited,
      faults: this.faults,
      routes: [...this.byKey.values()]
        .map((s) => ({ ...s }))
        .sort((a, b) => (a.route + a.status).localeCompare(b.route + b.status)),
    };
  }
}
