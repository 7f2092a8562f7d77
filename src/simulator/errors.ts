/**
 * HubSpot error bodies. Routes leave `correlationId` empty; the server fills it (deterministically from the
 * seed and request number) and mirrors it in X-HubSpot-Correlation-Id.
 */
import type { SimResult } from "./types.js";

export interface ErrorExtra {
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: unknown[];
  links?: Record<string, string>;
}

/** A v3 error response: {status:"error", message, correlationId, category, …}. */
export function apiError(status: number, category: string, message: string, extra: ErrorExtra = {}): SimResult {
  return { status, body: { status: "error", message, correlationId: "", ...extra, category } };
}

export function validationError(message: string, extra: ErrorExtra = {}): SimResult {
  return apiError(400, "VALIDATION_ERROR", message, extra);
}

export function notFound(message = "Resource not found", id?: string): SimResult {
  return apiError(404, "OBJECT_NOT_FOUND", message, id ? { context: { id: [id] } } : {});
}

/** 403 MISSING_SCOPES exactly as HubSpot words it, naming the scopes that would grant access. */
export function missingScopes(required: readonly string[]): SimResult {
  return {
    status: 403,
    body: {
      status: "error",
      message:
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      correlationId: "",
      errors: [
        { message: "One or more of the following scopes are required.", context: { requiredScopes: [...required] } },
      ],
      links: { scopes: "https://developers.hubspot.com/scopes" },
      category: "MISSING_SCOPES",
    },
  };
}

/** Checks any-of scopes (and all-of extras); returns the 403 result when access is denied. */
export function checkScopes(
  granted: ReadonlySet<string>,
  anyOf: readonly string[],
  allOf: readonly string[] = [],
): SimResult | undefined {
  if (anyOf.length && !anyOf.some((s) => granted.has(s))) return missingScopes(anyOf);
  const lacking = allOf.filter((s) => !granted.has(s));
  if (lacking.length) return missingScopes(lacking);
  return undefined;
}
