import http from "node:http";
import https from "node:https";
import fetch, { type Response as FetchResponse } from "node-fetch";
import { defer, from, type Observable } from "rxjs";
import {
  type Classification,
  classify,
  describeHubSpotBody,
  HttpError,
  isTransient,
  NetworkError,
  requiredScopesOf,
  type SourceError,
} from "../errors.js";
import { createRateBudget, type RateBudget, rateLimit } from "../operators/rate-limit.js";
import { retryBackoff } from "../operators/retry-backoff.js";
import type { Auth } from "./auth.js";

/** Which HubSpot budget a request draws from: search and association batch reads are exempt from the 10-s one. */
export type BudgetClass = "standard" | "search" | "exempt";

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, QueryValue>;
  json?: unknown;
  budget: BudgetClass;
  /** Total attempts for this call (default: the transport's); 1–2 for calls whose failure is not fatal. */
  attempts?: number;
  /** What is wrong with a 2xx body (it is retried as a transient MALFORMED_RESPONSE), or undefined when nothing. */
  validate?: (body: unknown) => string | undefined;
}

export interface HubSpotResponse<T = unknown> {
  status: number;
  body: T;
}

export interface TransportOptions {
  baseUrl: string;
  auth: Auth;
  /** Requests per rolling 10 s (HubSpot tier: 100 / 190 / 250). */
  requestsPer10s: number;
  searchPerSecond: number;
  timeoutMs: number;
  maxAttempts?: number;
  log?: (level: "info" | "warn", message: string) => void;
  random?: () => number;
}

export interface TransportStats {
  requests: number;
  byBudget: Record<BudgetClass, number>;
  rateLimited: number;
  retries: number;
  bytes: number;
}

/**
 * Slack added to each rolling window: arrival at HubSpot trails our send time by a little jitter. Read when a
 * Transport is built (the bench varies it in-process); 150 ms costs 1.5 % of the 10-s budget's rate.
 */
export const WINDOW_SLACK_MS = { standard: 150, search: 40 };

/** Encodes a query the way HubSpot's gateways accept: arrays comma-joined. */
export function encodeQuery(query: Record<string, QueryValue> = {}): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(",") : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/**
 * The only Promise → Observable edge: one HubSpot call = one cold Observable that waits for its rate
 * budget, fetches over keep-alive, classifies the outcome, refreshes OAuth once on 401 and retries
 * transient failures with `Retry-After` or jittered backoff.
 */
export class Transport {
  readonly budgets: Record<"standard" | "search", RateBudget>;
  private readonly agent: http.Agent;
  private readonly counters: TransportStats = {
    requests: 0,
    byBudget: { standard: 0, search: 0, exempt: 0 },
    rateLimited: 0,
    retries: 0,
    bytes: 0,
  };

  constructor(readonly options: TransportOptions) {
    const secure = options.baseUrl.startsWith("https:");
    this.agent = secure
      ? new https.Agent({ keepAlive: true, maxSockets: 32 })
      : new http.Agent({ keepAlive: true, maxSockets: 32 });
    this.budgets = {
      standard: createRateBudget({
        name: "ten-secondly",
        max: options.requestsPer10s,
        windowMs: 10_000 + WINDOW_SLACK_MS.standard,
      }),
      search: createRateBudget({
        name: "search",
        max: options.searchPerSecond,
        windowMs: 1_000 + WINDOW_SLACK_MS.search,
      }),
    };
  }

  stats(): TransportStats {
    return { ...this.counters, byBudget: { ...this.counters.byBudget } };
  }

  close(): void {
    this.agent.destroy();
  }

  /** One HubSpot call as a cold Observable of its 2xx response. */
  request<T = unknown>(spec: RequestSpec): Observable<HubSpotResponse<T>> {
    const once = defer(() => from(this.attempt<T>(spec)));
    const limited = spec.budget === "exempt" ? once : once.pipe(rateLimit(this.budgets[spec.budget]));
    return limited.pipe(
      retryBackoff<HubSpotResponse<T>>({
        maxAttempts: spec.attempts ?? this.options.maxAttempts ?? 8,
        baseDelayMs: 500,
        maxDelayMs: 60_000,
        random: this.options.random,
        isRetryable: isTransient,
        retryAfterMs: (err) => (err instanceof HttpError ? err.failure.retryAfterMs : undefined),
        onRetry: (err, attempt, delayMs) => {
          this.counters.retries++;
          const what = err instanceof Error ? err.message : String(err);
          this.options.log?.("warn", `${what}; retry ${attempt} in ${Math.round(delayMs)} ms`);
        },
      }),
    );
  }

  /** POST a form without auth (OAuth token endpoint), retried like any call. */
  async postForm(path: string, form: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const res = await this.fetchRaw("POST", path, {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: await readBody(res, `POST ${path}`).catch(() => undefined) };
  }

  private async attempt<T>(spec: RequestSpec): Promise<HubSpotResponse<T>> {
    const { auth } = this.options;
    const route = `${spec.method} ${spec.path}`;
    // A token that expired while other calls were in flight may be replaced by one that expires too before this
    // call retries (concurrent pagers make that window real): refresh again only when a different token failed.
    let rejected: string | undefined;
    for (let refreshes = 0; ; refreshes++) {
      const token = await auth.token();
      const res = await this.fetchRaw(spec.method, spec.path + encodeQuery(spec.query), {
        headers: {
          Authorization: `Bearer ${token}`,
          ...(spec.json === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: spec.json === undefined ? undefined : JSON.stringify(spec.json),
      });
      this.counters.byBudget[spec.budget]++;
      this.observeHeaders(res, spec.budget);
      const outcome = classify(res.status, auth.mode);
      if (outcome.action === "ok") {
        const body = await readBody(res, route, this.counters);
        const problem = spec.validate?.(body);
        if (problem) {
          throw new HttpError(
            `HubSpot answered ${route} with a malformed body: ${problem}`,
            "MALFORMED_RESPONSE",
            "transient",
            {
              status: res.status,
              route,
            },
          );
        }
        return { status: res.status, body: body as T };
      }
      const body = await readBody(res, route).catch(() => undefined);
      if (outcome.action === "refresh-and-retry" && token !== rejected && refreshes < 2) {
        rejected = token;
        await auth.refresh();
        continue;
      }
      throw this.failure(res, body, route, outcome);
    }
  }

  private failure(res: FetchResponse, body: unknown, route: string, outcome: Classification): SourceError {
    const status = res.status;
    const hub = describeHubSpotBody(body);
    const suffix = hub ? `: ${hub}` : "";
    if (status === 401) {
      const msg =
        this.options.auth.mode === "oauth"
          ? `HubSpot rejected the OAuth access token even after a refresh (${route})${suffix}; re-authenticate the connector`
          : `HubSpot rejected the private app access token (HTTP 401 on ${route}); generate a new token in your private app settings and update credentials.access_token`;
      return new HttpError(msg, "AUTH_INVALID", "config", { status, route });
    }
    if (status === 403) {
      const scopes = requiredScopesOf(body);
      const need = scopes.length ? ` (missing scopes: ${scopes.join(", ")})` : "";
      return new HttpError(
        `HubSpot denied ${route}${need}${suffix}`,
        "MISSING_SCOPES",
        "permission",
        { status, route, body },
        scopes,
      );
    }
    if (status === 429) {
      this.counters.rateLimited++;
      const policy = (body as { policyName?: string } | undefined)?.policyName;
      if (policy === "DAILY") {
        return new HttpError(
          `HubSpot's daily API limit is used up (${route}); the sync can resume after the daily reset`,
          "DAILY_LIMIT",
          "api",
          { status, route, body },
        );
      }
      const retryAfterMs = retryAfterOf(res) ?? (policy === "TEN_SECONDLY_ROLLING" ? 2_000 : 1_000);
      const search = route.endsWith("/search");
      // With X-HubSpot-RateLimit-Remaining on the 429, observeHeaders already filled our window up to the server's
      // count, which holds every grant back exactly until the server's window frees; pausing the whole budget for
      // Retry-After (rounded up to whole seconds) on top would idle it for a second per 429.
      const reconciled = !search && res.headers.get("x-hubspot-ratelimit-remaining") !== null;
      if (!reconciled) (search ? this.budgets.search : this.budgets.standard).pause(retryAfterMs);
      return new HttpError(`HubSpot rate limit on ${route}${suffix}`, "RATE_LIMITED", "transient", {
        status,
        route,
        body,
        retryAfterMs,
      });
    }
    const kind = outcome.kind === "ok" ? "api" : outcome.kind;
    return new HttpError(`HubSpot answered HTTP ${status} to ${route}${suffix}`, outcome.code, kind, {
      status,
      route,
      body,
      retryAfterMs: retryAfterOf(res),
    });
  }

  private observeHeaders(res: FetchResponse, budget: BudgetClass): void {
    if (budget !== "standard") return;
    const max = Number(res.headers.get("x-hubspot-ratelimit-max"));
    const remaining = res.headers.get("x-hubspot-ratelimit-remaining");
    const interval = Number(res.headers.get("x-hubspot-ratelimit-interval-milliseconds")) || 10_000;
    if (max > 0 && interval === 10_000) this.budgets.standard.setMax(max);
    if (remaining !== null && remaining !== "") this.budgets.standard.observeRemaining(Number(remaining), interval);
  }

  private async fetchRaw(
    method: string,
    pathAndQuery: string,
    init: { headers: Record<string, string>; body?: string },
  ): Promise<FetchResponse> {
    const route = `${method} ${pathAndQuery.split("?")[0]}`;
    this.counters.requests++;
    try {
      return await fetch(this.options.baseUrl + pathAndQuery, {
        method,
        headers: { Accept: "application/json", "User-Agent": "source-hubspot", ...init.headers },
        body: init.body,
        agent: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (cause) {
      throw new NetworkError(`network failure on ${route}: ${(cause as Error).message}`, route, { cause });
    }
  }
}

async function readBody(res: FetchResponse, route: string, counters?: { bytes: number }): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
    if (counters) counters.bytes += text.length;
  } catch (cause) {
    throw new NetworkError(`connection lost while reading ${route}: ${(cause as Error).message}`, route, { cause });
  }
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    if (res.status >= 200 && res.status < 300) {
      throw new NetworkError(`invalid JSON in the response to ${route} (${text.length} bytes)`, route, { cause });
    }
    return text;
  }
}

function retryAfterOf(res: FetchResponse): number | undefined {
  const h = res.headers.get("retry-after");
  if (!h) return undefined;
  const seconds = Number(h);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
