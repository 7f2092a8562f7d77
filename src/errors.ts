/**
 * Typed errors and the ONE table that turns an HTTP outcome into an action.
 * Every error carries a stable `code`, a `kind` (what the user should do about it) and a `cause`.
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

/** A network-level failure (reset, timeout, truncated or unparsable body): always transient. */
export class NetworkError extends SourceError {
  constructor(
    message: string,
    readonly route: string,
    options?: { cause?: unknown },
  ) {
    super(message, "NETWORK", "transient", options);
  }
}

/** What the transport does with an outcome. */
export type Action = "ok" | "retry" | "refresh-and-retry" | "skip-stream" | "fail";

export interface Classification {
  action: Action;
  kind: ErrorKind | "ok";
  code: string;
}

type Row = readonly [match: (status: number, auth: AuthMode) => boolean, Classification];
export type AuthMode = "private-app" | "oauth";

const row = (
  match: (status: number, auth: AuthMode) => boolean,
  action: Action,
  kind: Classification["kind"],
  code: string,
): Row => [match, { action, kind, code }];

/** The status → action table, first match wins. */
const TABLE: readonly Row[] = [
  row((s) => s >= 200 && s < 300, "ok", "ok", "OK"),
  row((s, a) => s === 401 && a === "oauth", "refresh-and-retry", "config", "AUTH_EXPIRED"),
  row((s) => s === 401, "fail", "config", "AUTH_INVALID"),
  row((s) => s === 403, "skip-stream", "permission", "MISSING_SCOPES"),
  row((s) => s === 404, "fail", "api", "NOT_FOUND"),
  row((s) => s === 408, "retry", "transient", "TIMEOUT"),
  row((s) => s === 429, "retry", "transient", "RATE_LIMITED"),
  row((s) => s === 530, "fail", "config", "AUTH_INVALID"),
  row((s) => s >= 500, "retry", "transient", "SERVER_ERROR"),
  row((s) => s === 414, "fail", "api", "URI_TOO_LONG"),
  row((s) => s === 400, "fail", "api", "BAD_REQUEST"),
  row(() => true, "fail", "api", "API_ERROR"),
];

/** Classify an HTTP status for a given auth mode; network failures are classified as `retry`. */
export function classify(status: number | "network", auth: AuthMode): Classification {
  if (status === "network") return { action: "retry", kind: "transient", code: "NETWORK" };
  for (const [match, result] of TABLE) if (match(status, auth)) return result;
  return { action: "fail", kind: "api", code: "API_ERROR" };
}

/** True for errors worth another attempt. */
export function isTransient(err: unknown): boolean {
  return err instanceof SourceError && err.kind === "transient";
}

/** HubSpot's own message and correlation id, for error messages users can quote to HubSpot support. */
export function describeHubSpotBody(body: unknown): string {
  if (!body || typeof body !== "object") return typeof body === "string" ? body.slice(0, 300) : "";
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
