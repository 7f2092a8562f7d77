/**
 * The HTTP front: request-target limit, routing, auth and scopes, rate limits, faults, latency, JSON
 * encoding, headers and stats. Routes are pure functions of (request, portal); everything else is here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthStore } from "./auth.js";
import { apiError, missingScopes } from "./errors.js";
import type { FaultPlan, FaultRule } from "./faults.js";
import { HTML_502, HTML_504, HTML_PAGE, type Out, readBody, send, sleep } from "./http-io.js";
import type { RateLimiter } from "./rate-limit.js";
import { hash2, mix32, unit } from "./rng.js";
import { normalizePath, type Router } from "./router.js";
import type { StatsRecorder } from "./stats.js";
import type { LimitClass, PortalView, SimRequest, SimResult } from "./types.js";

export interface ServerDeps {
  seed: number;
  portal: PortalView;
  router: Router;
  auth: AuthStore;
  limiter: RateLimiter;
  faults: FaultPlan;
  stats: StatsRecorder;
  latencyMs?: [number, number];
  /** Multiplies the latency of search responses. */
  searchLatencyFactor: number;
  maxRequestTargetLength: number;
}

const JSON_TYPE = "application/json;charset=utf-8";

/**
 * The extra latency of one response: uniform in `range` by `u` ∈ [0, 1), times `searchFactor` for search
 * (HubSpot's search answers slower than list, and the bench asks how the reader copes).
 */
export function responseDelayMs(
  range: [number, number] | undefined,
  cls: LimitClass | undefined,
  searchFactor: number,
  u: number,
): number {
  if (!range || range[1] <= 0) return 0;
  return (range[0] + u * (range[1] - range[0])) * (cls === "search" ? searchFactor : 1);
}

/** Builds the node:http request listener. */
export function createListener(deps: ServerDeps) {
  let requestNo = 0;
  const seedMix = mix32(deps.seed ^ 0xc0de);
  const uuid = (n: number, salt: number) => {
    const p = [1, 2, 3, 4].map((k) =>
      hash2(hash2(seedMix + salt, n), k)
        .toString(16)
        .padStart(8, "0"),
    );
    return `${p[0]}-${p[1]!.slice(0, 4)}-4${p[1]!.slice(5)}-8${p[2]!.slice(1, 4)}-${p[3]}${p[2]!.slice(4)}`;
  };

  const json = (status: number, body: unknown, route: string, n: number, headers: Record<string, string> = {}): Out => {
    const cid = uuid(n, 1);
    if (body && typeof body === "object" && (body as { correlationId?: unknown }).correlationId === "") {
      (body as { correlationId: string }).correlationId = cid;
    }
    return {
      status,
      route,
      body: Buffer.from(JSON.stringify(body)),
      headers: { "Content-Type": JSON_TYPE, "X-HubSpot-Correlation-Id": cid, ...headers },
    };
  };

  const rateLimited = (
    policy: string,
    cls: LimitClass,
    n: number,
    route: string,
    headers: Record<string, string>,
    retryAfterSec: number,
  ): Out => {
    const body =
      cls === "search" || policy === "SECONDLY_SEARCH"
        ? {
            status: "error",
            message: "You have reached your secondly limit.",
            correlationId: "",
            category: "RATE_LIMITS",
          }
        : {
            status: "error",
            message:
              policy === "DAILY"
                ? "You have reached your daily limit."
                : "You have reached your ten_secondly_rolling limit.",
            errorType: "RATE_LIMIT",
            correlationId: "",
            policyName: policy === "DAILY" ? "DAILY" : "TEN_SECONDLY_ROLLING",
            requestId: uuid(n, 2),
          };
    // HubSpot "does not always return Retry-After"; here about half the 429s carry it, decided by the seed.
    const h = { ...headers };
    if (hash2(seedMix, n) & 1) h["Retry-After"] = String(retryAfterSec);
    return json(429, body, route, n, h);
  };

  async function handle(req: IncomingMessage, n: number): Promise<Out & { cls?: LimitClass }> {
    const target = req.url ?? "/";
    if (target.length > deps.maxRequestTargetLength) {
      return {
        status: 414,
        route: "(uri-too-long)",
        body: Buffer.from("URI Too Long"),
        headers: { "Content-Type": "text/plain" },
      };
    }
    const qIdx = target.indexOf("?");
    const path = normalizePath(qIdx < 0 ? target : target.slice(0, qIdx));
    const query = new URLSearchParams(qIdx < 0 ? "" : target.slice(qIdx + 1));
    const method = (req.method ?? "GET") as SimRequest["method"];
    const rawBody = await readBody(req);
    if (method === "GET" && path === "/__sim/stats") return json(200, { ...statsNow() }, "GET /__sim/stats", n);
    const m = deps.router.match(method, path);
    if (!m) {
      const status = deps.router.hasPath(path) ? 405 : 404;
      return json(
        status,
        {
          status: "error",
          message: `Unable to route ${method} ${path}`,
          correlationId: "",
          category: status === 405 ? "METHOD_NOT_ALLOWED" : "OBJECT_NOT_FOUND",
        },
        "(unmatched)",
        n,
      );
    }
    const routeKey = `${m.route.method} ${m.route.pattern}`;
    let body: unknown;
    if (rawBody.length) {
      const ct = String(req.headers["content-type"] ?? "");
      const text = rawBody.toString("utf8");
      if (ct.includes("application/x-www-form-urlencoded")) body = Object.fromEntries(new URLSearchParams(text));
      else {
        try {
          body = JSON.parse(text);
        } catch (e) {
          return json(
            400,
            {
              status: "error",
              message: `Invalid input JSON on line 1: ${(e as Error).message}`,
              correlationId: "",
              category: "VALIDATION_ERROR",
            },
            routeKey,
            n,
          );
        }
      }
    }
    const authHeader = req.headers.authorization;
    const tokenMatch = authHeader ? /^Bearer (\S+)$/.exec(authHeader) : null;
    let scopes: ReadonlySet<string> = new Set();
    let oauth = false;
    if (m.route.auth !== false) {
      const a = deps.auth.check(authHeader);
      if (!a.ok && a.reason === "invalid") {
        return json(
          401,
          {
            status: "error",
            message:
              "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
            correlationId: "",
            category: "INVALID_AUTHENTICATION",
          },
          routeKey,
          n,
          { "x-hubspot-auth-failure": "401 Unauthorized" },
        );
      }
      if (!a.ok && a.reason === "expired") {
        return json(
          401,
          {
            status: "error",
            message: `The OAuth token used to make this call expired ${a.expiredAgoSec} second(s) ago.`,
            correlationId: "",
            category: "EXPIRED_AUTHENTICATION",
            context: { "expire time": [new Date(a.expireTime).toISOString()] },
          },
          routeKey,
          n,
          { "x-hubspot-auth-failure": "401 Unauthorized" },
        );
      }
      if (a.ok) {
        scopes = a.info.scopes;
        oauth = a.info.kind === "oauth";
      }
      if (m.route.scopes.length && !m.route.scopes.some((s) => scopes.has(s))) {
        const r = missingScopes(m.route.scopes);
        return json(r.status, r.body, routeKey, n);
      }
    }
    const cls: LimitClass = m.route.limit ?? "standard";
    const limit = m.route.auth === false ? undefined : deps.limiter.take(cls, oauth);
    if (limit && !limit.ok) return rateLimited(limit.policy, cls, n, routeKey, limit.headers, limit.retryAfterSec);
    const limitHeaders = limit?.headers ?? {};
    const fault = deps.faults.pick(m.route.pattern, path);
    if (fault) {
      const early = errorFault(fault, cls, n, routeKey, limitHeaders);
      if (early) return early;
    }
    const simReq: SimRequest = { method, path, params: m.params, query, body, scopes, token: tokenMatch?.[1] };
    let result: SimResult;
    try {
      result = m.route.handle(simReq, deps.portal);
    } catch (e) {
      process.stderr.write(`simulator: ${routeKey} failed: ${(e as Error).stack}\n`);
      const r = apiError(500, "INTERNAL_ERROR", "internal error");
      return json(500, r.body, routeKey, n);
    }
    const headers = { ...limitHeaders, ...result.headers };
    const out =
      result.raw !== undefined || result.rawBytes
        ? {
            status: result.status,
            route: routeKey,
            body: result.rawBytes ?? Buffer.from(result.raw!),
            pooled: !!result.rawBytes,
            headers: { "Content-Type": JSON_TYPE, "X-HubSpot-Correlation-Id": uuid(n, 1), ...headers },
          }
        : json(result.status, result.body, routeKey, n, headers);
    if (result.status === 404 && path.includes("/v1/")) out.headers["X-HubSpot-NotFound"] = "true";
    if (fault) out.fault = fault;
    return { ...out, cls };
  }

  function errorFault(
    f: FaultRule,
    cls: LimitClass,
    n: number,
    route: string,
    headers: Record<string, string>,
  ): Out | undefined {
    const html = (status: number, page: string): Out => ({
      status,
      route,
      body: Buffer.from(page),
      headers: { "Content-Type": "text/html", "X-HubSpot-Correlation-Id": uuid(n, 1) },
      fault: f,
    });
    switch (f.kind) {
      case "429":
        return { ...rateLimited("TEN_SECONDLY_ROLLING", cls, n, route, headers, 1), fault: f };
      case "500":
        return {
          ...json(
            500,
            { status: "error", message: "internal error", correlationId: "", category: "INTERNAL_ERROR" },
            route,
            n,
          ),
          fault: f,
        };
      case "503":
        return {
          ...json(
            503,
            { status: "error", message: "Service Unavailable", correlationId: "", category: "SERVICE_UNAVAILABLE" },
            route,
            n,
          ),
          fault: f,
        };
      case "502":
        return html(502, HTML_502);
      case "504":
        return html(504, HTML_504);
      case "html":
        return html(200, HTML_PAGE);
      default:
        return undefined;
    }
  }

  const statsNow = () => deps.stats.snapshot();

  return (req: IncomingMessage, res: ServerResponse): void => {
    const n = ++requestNo;
    handle(req, n)
      .then(async (out) => {
        const ms = responseDelayMs(deps.latencyMs, out.cls, deps.searchLatencyFactor, unit(hash2(seedMix ^ 0x1a7, n)));
        if (ms > 0) await sleep(ms);
        await send(res, out);
        deps.stats.record(out.route, out.status, out.body.length, { fault: !!out.fault });
      })
      .catch((e) => {
        process.stderr.write(`simulator: ${(e as Error).stack}\n`);
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
}
