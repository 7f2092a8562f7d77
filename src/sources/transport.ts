import http from "node:http";
import https from "node:https";
import fetch, { type Response as FetchResponse } from "node-fetch";
import { asyncScheduler, defer, from, type Observable, type SchedulerLike } from "rxjs";
import { classify, classifyNetworkFailure, HttpError, isTransient } from "../errors.js";
import { createRateBudget, type RateBudget, rateLimit } from "../operators/rate-limit.js";
import { retryBackoff } from "../operators/retry-backoff.js";
import { redact } from "../redact.js";
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
  /**
   * Checks a parsed 2xx body inside the retried attempt: a description of what is wrong (e.g. "`results` is not
   * an array"), or undefined when the body is usable. A problem is a transient MALFORMED_RESPONSE.
   */
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
  /** Clock and timers of retries and budgets. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** One stream's share of the traffic. */
export interface StreamTraffic {
  /** HTTP calls sent, retries and redirect hops included. */
  requests: number;
  /** Answers with HTTP 429. */
  rateLimited: number;
  retries: number;
}

export interface TransportStats extends StreamTraffic {
  byBudget: Record<BudgetClass, number>;
  /** Response body bytes received (after decompression). */
  bytes: number;
  /** Traffic of the views made by {@link Transport.forStream}, by stream name. */
  byStream: Record<string, StreamTraffic>;
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

/** What every view of one transport shares: sockets, budgets, counters, and whether HubSpot answered yet. */
interface Shared {
  agent: http.Agent;
  budgets: Record<"standard" | "search", RateBudget>;
  counters: Omit<TransportStats, "byStream">;
  byStream: Map<string, StreamTraffic>;
  answered: boolean;
}

/** A response body as read: parsed JSON (or the text of a non-JSON error page) and what is wrong with it. */
interface Answer {
  body: unknown;
  problem?: string;
}

/**
 * The only Promise → Observable edge: one HubSpot call = one cold Observable that waits for its rate
 * budget, fetches over keep-alive, lets {@link classify} decide what the answer means, and acts on it: follows a
 * same-origin redirect, refreshes OAuth once on 401, retries transient failures with `Retry-After` or jittered
 * backoff, and throws any other error exactly as classified.
 */
export class Transport {
  readonly budgets: Record<"standard" | "search", RateBudget>;
  private readonly shared: Shared;
  /** This view's stream counters; undefined on the root transport. */
  private readonly traffic?: StreamTraffic;
  private readonly scheduler: SchedulerLike;
  private readonly origin: string;

  /** @param view - internal to {@link Transport.forStream}: share another transport's state, tagged by stream. */
  constructor(
    readonly options: TransportOptions,
    view?: { of: Transport; stream: string },
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.origin = new URL(options.baseUrl).origin;
    if (view) {
      this.shared = view.of.shared;
      let traffic = this.shared.byStream.get(view.stream);
      if (!traffic) {
        traffic = { requests: 0, rateLimited: 0, retries: 0 };
        this.shared.byStream.set(view.stream, traffic);
      }
      this.traffic = traffic;
    } else {
      const secure = options.baseUrl.startsWith("https:");
      this.shared = {
        agent: secure
          ? new https.Agent({ keepAlive: true, maxSockets: 32 })
          : new http.Agent({ keepAlive: true, maxSockets: 32 }),
        budgets: {
          standard: createRateBudget({
            name: "ten-secondly",
            max: options.requestsPer10s,
            windowMs: 10_000 + WINDOW_SLACK_MS.standard,
            scheduler: this.scheduler,
          }),
          search: createRateBudget({
            name: "search",
            max: options.searchPerSecond,
            windowMs: 1_000 + WINDOW_SLACK_MS.search,
            scheduler: this.scheduler,
          }),
        },
        counters: {
          requests: 0,
          byBudget: { standard: 0, search: 0, exempt: 0 },
          rateLimited: 0,
          retries: 0,
          bytes: 0,
        },
        byStream: new Map(),
        answered: false,
      };
    }
    this.budgets = this.shared.budgets;
  }

  /** The same transport (budgets, sockets, counters), counting its calls under `stream` as well. */
  forStream(stream: string): Transport {
    return new Transport(this.options, { of: this, stream });
  }

  stats(): TransportStats {
    const c = this.shared.counters;
    const byStream: Record<string, StreamTraffic> = {};
    for (const [name, t] of this.shared.byStream) byStream[name] = { ...t };
    return { ...c, byBudget: { ...c.byBudget }, byStream };
  }

  /** Closes the shared sockets (of every view). */
  close(): void {
    this.shared.agent.destroy();
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
        scheduler: this.scheduler,
        isRetryable: isTransient,
        retryAfterMs: (err) => (err instanceof HttpError ? err.failure.retryAfterMs : undefined),
        onRetry: (err, attempt, delayMs) => {
          this.shared.counters.retries++;
          if (this.traffic) this.traffic.retries++;
          const what = err instanceof Error ? err.message : String(err);
          this.options.log?.("warn", `${what}; retry ${attempt} in ${Math.round(delayMs)} ms`);
        },
      }),
    );
  }

  /** POST a form without auth (OAuth token endpoint); the caller decides what the status means. */
  async postForm(path: string, form: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const route = `POST ${path}`;
    const res = await this.fetchRaw(route, this.options.baseUrl + path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await this.read(res, route)).body };
  }

  private async attempt<T>(spec: RequestSpec): Promise<HubSpotResponse<T>> {
    const { auth } = this.options;
    let url = this.options.baseUrl + spec.path + encodeQuery(spec.query);
    let method: string = spec.method;
    let json = spec.json;
    let redirects = 0;
    // A token that expired while other calls were in flight may be replaced by one that expires too before this
    // call retries (concurrent pagers make that window real): refresh again only when a different token failed.
    let rejected: string | undefined;
    let refreshes = 0;
    for (;;) {
      const token = await auth.token();
      // Token-info paths carry the token itself: it must not reach any message.
      const route = redact(`${spec.method} ${spec.path}`, [token]);
      const res = await this.fetchRaw(route, url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(json === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      this.shared.counters.byBudget[spec.budget]++;
      this.observeHeaders(res, spec.budget);
      const answer = await this.read(res, route, spec.validate);
      const outcome = classify(res.status, answer.body, auth.mode, {
        route,
        headers: res.headers,
        now: this.scheduler.now(),
        problem: answer.problem,
        url,
        origin: this.origin,
        redirects,
      });
      switch (outcome.action) {
        case "ok":
          return { status: res.status, body: answer.body as T };
        case "follow":
          redirects++;
          url = outcome.location;
          // As fetch does: 303, and 301/302 after a POST, continue as a GET without the body.
          if (res.status === 303 || (method === "POST" && (res.status === 301 || res.status === 302))) {
            method = "GET";
            json = undefined;
          }
          continue;
        case "refresh-and-retry":
          if (token !== rejected && refreshes < 2) {
            rejected = token;
            refreshes++;
            await auth.refresh();
            continue;
          }
          throw outcome.error;
        default:
          if (res.status === 429) this.rateLimited(res, spec.budget, outcome.code === "RATE_LIMITED", outcome.error);
          throw outcome.error;
      }
    }
  }

  private rateLimited(res: FetchResponse, budget: BudgetClass, burst: boolean, error: HttpError): void {
    this.shared.counters.rateLimited++;
    if (this.traffic) this.traffic.rateLimited++;
    if (!burst || budget === "exempt") return;
    // With X-HubSpot-RateLimit-Remaining on the 429, observeHeaders already filled our window up to the server's
    // count, which holds every grant back exactly until the server's window frees; pausing the whole budget for
    // Retry-After (rounded up to whole seconds) on top would idle it for a second per 429.
    const reconciled = budget === "standard" && res.headers.get("x-hubspot-ratelimit-remaining") !== null;
    if (!reconciled) this.budgets[budget].pause(error.failure.retryAfterMs ?? 1_000);
  }

  private observeHeaders(res: FetchResponse, budget: BudgetClass): void {
    if (budget !== "standard") return;
    const max = Number(res.headers.get("x-hubspot-ratelimit-max"));
    const remaining = res.headers.get("x-hubspot-ratelimit-remaining");
    const interval = Number(res.headers.get("x-hubspot-ratelimit-interval-milliseconds")) || 10_000;
    if (max > 0 && interval === 10_000) this.budgets.standard.setMax(max);
    if (remaining !== null && remaining !== "") this.budgets.standard.observeRemaining(Number(remaining), interval);
  }

  /** One HTTP exchange up to the response headers; redirects come back as they are (never followed blindly). */
  private async fetchRaw(
    route: string,
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<FetchResponse> {
    this.shared.counters.requests++;
    if (this.traffic) this.traffic.requests++;
    try {
      const res = await fetch(url, {
        method: init.method,
        headers: { Accept: "application/json", "User-Agent": "source-hubspot", ...init.headers },
        body: init.body,
        agent: this.shared.agent,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      this.shared.answered = true;
      return res;
    } catch (cause) {
      throw this.networkFailure(cause, route);
    }
  }

  /** Reads and parses a body; for a 2xx, says what makes it unusable (a transient MALFORMED_RESPONSE). */
  private async read(res: FetchResponse, route: string, validate?: RequestSpec["validate"]): Promise<Answer> {
    let text: string;
    try {
      const bytes = Buffer.from(await res.arrayBuffer());
      this.shared.counters.bytes += bytes.byteLength;
      text = bytes.toString("utf8");
    } catch (cause) {
      throw this.networkFailure(cause, route, true);
    }
    const parsed = parseJson(text);
    if (res.status < 200 || res.status >= 300) return { body: parsed.ok ? parsed.value : text || undefined };
    if (res.status === 204) return { body: undefined };
    if (text.trim() === "") return { body: undefined, problem: "an empty body" };
    if (!parsed.ok) {
      const html = /html/i.test(res.headers.get("content-type") ?? "") || text.trimStart().startsWith("<");
      const what = html ? "an HTML page instead of JSON" : "invalid JSON";
      return { body: undefined, problem: `${what} (${text.length} characters)` };
    }
    const problem = validate?.(parsed.value);
    return { body: parsed.value, problem: problem === undefined ? undefined : `a malformed body: ${problem}` };
  }

  private networkFailure(cause: unknown, route: string, reading = false) {
    return classifyNetworkFailure(cause, {
      route,
      host: new URL(this.options.baseUrl).host,
      answeredBefore: this.shared.answered,
      timeoutMs: this.options.timeoutMs,
      reading,
    });
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
