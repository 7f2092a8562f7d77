/**
 * Typed errors and the ONE decision that turns an HTTP outcome into an action: {@link classify} for answers,
 * {@link classifyNetworkFailure} for calls that got none. The transport throws exactly what they return.
 * Every error carries a stable `code`, a `kind` (what the user should do about it) and, where there is one, a `cause`.
 */

export type ErrorKind = "config" | "permission" | "transient" | "api" | "system";

/** Base class: `kind` decides retry, skip, or fail, and the CLI's exit code. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly kind: ErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Details of a failed HubSpot response, kept for messages (never includes the token). */
export interface HttpFailure {
  status: number;
  /** `METHOD /path` without the query string. */
  route: string;
  body?: unknown;
  retryAfterMs?: number;
}

export class HttpError extends SourceError {
  constructor(
    message: string,
    code: string,
    kind: ErrorKind,
    readonly failure: HttpFailure,
    readonly requiredScopes: string[] = [],
  ) {
    super(message, code, kind);
  }
}

/** A call that got no (complete) answer: reset, timeout, truncated body, or a host that cannot be reached. */
export class NetworkError extends SourceError {
  constructor(
    message: string,
    readonly route: string,
    code: "NETWORK" | "HOST_UNREACHABLE" = "NETWORK",
    options?: { cause?: unknown },
  ) {
    super(message, code, ERROR_CODES[code].kind, options);
  }
}

/** What the transport does with an outcome. */
export type Action = "ok" | "follow" | "retry" | "refresh-and-retry" | "skip" | "fail";

/** Every code the transport throws, with its kind and action: the one place these are decided. */
export const ERROR_CODES = {
  AUTH_EXPIRED: { kind: "config", action: "refresh-and-retry" },
  AUTH_INVALID: { kind: "config", action: "fail" },
  MISSING_SCOPES: { kind: "permission", action: "skip" },
  NOT_FOUND: { kind: "api", action: "fail" },
  TIMEOUT: { kind: "transient", action: "retry" },
  RATE_LIMITED: { kind: "transient", action: "retry" },
  DAILY_LIMIT: { kind: "api", action: "fail" },
  URI_TOO_LONG: { kind: "api", action: "fail" },
  BAD_REQUEST: { kind: "api", action: "fail" },
  SERVER_ERROR: { kind: "transient", action: "retry" },
  API_ERROR: { kind: "api", action: "fail" },
  MALFORMED_RESPONSE: { kind: "transient", action: "retry" },
  // A redirect away from base_url means the config points at the wrong place (http for https, an old host):
  // the user fixes base_url, so config (exit 2), never retried.
  REDIRECT_REFUSED: { kind: "config", action: "fail" },
  NETWORK: { kind: "transient", action: "retry" },
  HOST_UNREACHABLE: { kind: "config", action: "fail" },
} as const satisfies Record<string, { kind: ErrorKind; action: Exclude<Action, "ok" | "follow"> }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type AuthMode = "private-app" | "oauth";

type StatusRow = readonly [match: (status: number, auth: AuthMode, body: unknown) => boolean, code: ErrorCode];

/** Non-2xx, non-redirect status → code, first match wins. */
const STATUS_ROWS: readonly StatusRow[] = [
  [(s, a) => s === 401 && a === "oauth", "AUTH_EXPIRED"],
  // 530 is Cloudflare's answer, in front of HubSpot, to a token of the wrong format.
  [(s) => s === 401 || s === 530, "AUTH_INVALID"],
  [(s) => s === 403, "MISSING_SCOPES"],
  [(s) => s === 404, "NOT_FOUND"],
  [(s) => s === 408, "TIMEOUT"],
  [(s, _a, b) => s === 429 && policyOf(b) === "DAILY", "DAILY_LIMIT"],
  [(s) => s === 429, "RATE_LIMITED"],
  [(s) => s === 414, "URI_TOO_LONG"],
  [(s) => s === 400, "BAD_REQUEST"],
  [(s) => s >= 500, "SERVER_ERROR"],
  [() => true, "API_ERROR"],
];

/** Redirects followed per call before giving up. */
export const MAX_REDIRECTS = 5;

/** Facts about an answer besides its status and body. */
export interface AnswerContext {
  /** `METHOD /path`, for messages (the transport masks any token in it). */
  route: string;
  headers?: { get(name: string): string | null };
  /** When the answer arrived (epoch ms), for a `Retry-After` given as an HTTP date. */
  now?: number;
  /** What is wrong with a 2xx body (unparsable, an HTML page, failed the request's validator). */
  problem?: string;
  /** The absolute URL that was requested, to resolve a relative `Location`. */
  url?: string;
  /** `base_url`'s origin: the only one a redirect may lead to. */
  origin?: string;
  /** Redirects already followed by this call. */
  redirects?: number;
}

export type Outcome =
  | { action: "ok"; code: "OK" }
  | { action: "follow"; code: "REDIRECT"; location: string }
  | { action: (typeof ERROR_CODES)[ErrorCode]["action"]; code: ErrorCode; error: HttpError };

/**
 * Decides what an answer means: ok, a same-origin redirect to follow, or the error to throw (whose `kind`, `code`
 * and retry delay the transport keeps as they are).
 *
 * @example
 * classify(429, { policyName: "DAILY" }, "private-app", { route: "GET /crm/v3/owners" }).code; // "DAILY_LIMIT"
 */
export function classify(status: number, body: unknown, auth: AuthMode, context: AnswerContext): Outcome {
  if (status >= 200 && status < 300) {
    if (context.problem === undefined) return { action: "ok", code: "OK" };
    return failWith("MALFORMED_RESPONSE", `HubSpot answered ${context.route} with ${context.problem}`, status, context);
  }
  if (status >= 300 && status < 400) {
    const redirect = redirectOutcome(status, context);
    if (redirect) return redirect;
  }
  const code = (STATUS_ROWS.find(([match]) => match(status, auth, body)) as StatusRow)[1];
  const hub = describeHubSpotBody(body);
  const suffix = hub ? `: ${hub}` : "";
  const { route } = context;
  const failure: HttpFailure = { status, route, body, retryAfterMs: retryAfterMs(context) };
  switch (code) {
    case "AUTH_EXPIRED":
      return failWith(
        code,
        `HubSpot rejected the OAuth access token even after a refresh (HTTP 401 on ${route})${suffix}; re-authenticate the connector`,
        status,
        context,
      );
    case "AUTH_INVALID":
      return failWith(
        code,
        status === 530
          ? `HubSpot's gateway refused the credentials (HTTP 530 on ${route}: the access token is not in a format HubSpot knows)${suffix}; check credentials`
          : `HubSpot rejected the private app access token (HTTP 401 on ${route})${suffix}; generate a new token in your private app settings and update credentials.access_token`,
        status,
        context,
      );
    case "MISSING_SCOPES": {
      const scopes = requiredScopesOf(body);
      const need = scopes.length ? ` (missing scopes: ${scopes.join(", ")})` : "";
      const error = new HttpError(`HubSpot denied ${route}${need}${suffix}`, code, "permission", failure, scopes);
      return { action: ERROR_CODES[code].action, code, error };
    }
    case "RATE_LIMITED":
      failure.retryAfterMs ??= policyOf(body) === "TEN_SECONDLY_ROLLING" ? 2_000 : 1_000;
      return failWith(code, `HubSpot rate limit on ${route}${suffix}`, status, context, failure);
    case "DAILY_LIMIT":
      return failWith(
        code,
        `HubSpot's daily API limit is used up (${route})${suffix}; the sync can resume after the daily reset`,
        status,
        context,
        failure,
      );
    default:
      return failWith(code, `HubSpot answered HTTP ${status} to ${route}${suffix}`, status, context, failure);
  }
}

function failWith(
  code: ErrorCode,
  message: string,
  status: number,
  context: AnswerContext,
  failure: HttpFailure = { status, route: context.route },
): Outcome {
  const { kind, action } = ERROR_CODES[code];
  return { action, code, error: new HttpError(message, code, kind, failure) };
}

/** A 3xx: follow it within base_url's origin, refuse it elsewhere; undefined when it names no target. */
function redirectOutcome(status: number, context: AnswerContext): Outcome | undefined {
  const location = context.headers?.get("location");
  if (!location || !context.url) return undefined;
  let target: URL;
  try {
    target = new URL(location, context.url);
  } catch {
    return undefined;
  }
  const where = `${target.origin}${target.pathname}`;
  if (context.origin !== undefined && target.origin !== context.origin) {
    return failWith(
      "REDIRECT_REFUSED",
      `HubSpot redirected ${context.route} (HTTP ${status}) to ${where}, outside base_url (${context.origin}): not followed, so no credentials go there; if that origin is HubSpot's, set base_url to it`,
      status,
      context,
    );
  }
  if ((context.redirects ?? 0) >= MAX_REDIRECTS) {
    return failWith(
      "REDIRECT_REFUSED",
      `HubSpot redirected ${context.route} more than ${MAX_REDIRECTS} times (last to ${where})`,
      status,
      context,
    );
  }
  return { action: "follow", code: "REDIRECT", location: target.href };
}

/** Error codes of a connection that never reached HubSpot: DNS, refused connection, refused TLS handshake. */
const UNREACHABLE =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EPROTO|ERR_SSL_.*|ERR_TLS_.*|.*CERT.*|UNABLE_TO_.*)$/;

/**
 * Decides what a call without an answer means. Before HubSpot has answered once, a host that cannot be
 * resolved, connected to, or shaken hands with is a config error (fail at once, naming the host): retrying it
 * for a minute helps nobody. Afterwards every connection failure is a transient blip, retried.
 */
export function classifyNetworkFailure(
  cause: unknown,
  context: { route: string; host: string; answeredBefore: boolean; timeoutMs?: number; reading?: boolean },
): NetworkError {
  const err = cause as { code?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof err?.code === "string" ? err.code : typeof err?.cause?.code === "string" ? err.cause.code : "";
  const { route, host } = context;
  if (!context.answeredBefore && UNREACHABLE.test(code)) {
    return new NetworkError(
      `cannot reach HubSpot at ${host} (${unreachableReason(code)}); check base_url and the network`,
      route,
      "HOST_UNREACHABLE",
      { cause },
    );
  }
  const text =
    err?.name === "AbortError"
      ? `no answer within ${Math.round((context.timeoutMs ?? 0) / 1000)} s`
      : String(err?.message ?? cause);
  const what = context.reading ? "connection lost while reading" : "network failure on";
  return new NetworkError(`${what} ${route}: ${text}`, route, "NETWORK", { cause });
}

function unreachableReason(code: string): string {
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `${code}: the host name does not resolve`;
  if (code === "ECONNREFUSED") return `${code}: connection refused`;
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return `${code}: no route to the host`;
  return `${code}: TLS handshake refused`;
}

/** A 429's `policyName` (DAILY, TEN_SECONDLY_ROLLING, SECONDLY), when HubSpot names one. */
function policyOf(body: unknown): string | undefined {
  const policy = (body as { policyName?: unknown } | undefined)?.policyName;
  return typeof policy === "string" ? policy : undefined;
}

/** `Retry-After` in ms: seconds, or an HTTP date measured against the answer's arrival. */
function retryAfterMs(context: AnswerContext): number | undefined {
  const h = context.headers?.get("retry-after");
  if (!h) return undefined;
  const seconds = Number(h);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(h);
  return Number.isFinite(at) && context.now !== undefined ? Math.max(0, at - context.now) : undefined;
}

/** True for errors worth another attempt. */
export function isTransient(err: unknown): boolean {
  return err instanceof SourceError && err.kind === "transient";
}

/** HubSpot's own message and correlation id, for error messages users can quote to HubSpot support. */
export function describeHubSpotBody(body: unknown): string {
  // An HTML error page (a gateway's 502) is quoted on one line.
  if (!body || typeof body !== "object") {
    return typeof body === "string" ? body.replace(/\s+/g, " ").trim().slice(0, 300) : "";
  }
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  const message = b.message ?? b.error_description ?? b.error;
  if (typeof message === "string") parts.push(message);
  if (typeof b.category === "string") parts.push(`category ${b.category}`);
  if (typeof b.correlationId === "string") parts.push(`correlationId ${b.correlationId}`);
  return parts.join("; ");
}

/** The scopes HubSpot says are missing, from a 403 MISSING_SCOPES body. */
export function requiredScopesOf(body: unknown): string[] {
  const scopes = new Set<string>();
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const ctx = (e as { context?: Record<string, unknown> })?.context ?? {};
      for (const key of ["requiredScopes", "requiredGranularScopes"]) {
        const list = ctx[key];
        if (Array.isArray(list)) for (const s of list) if (typeof s === "string") scopes.add(s);
      }
    }
  }
  return [...scopes];
}

/** Exit code per error kind (documented in the README). */
export function exitCodeOf(err: unknown): number {
  if (!(err instanceof SourceError)) return 1;
  switch (err.kind) {
    case "config":
      return 2;
    case "permission":
      return 3;
    case "transient":
      return 4;
    case "api":
      return 5;
    default:
      return 1;
  }
}
