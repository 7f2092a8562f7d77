/**
 * Keeps secrets out of everything we print: LOG and TRACE messages, stderr, error messages.
 *
 * Not for RECORD data (HubSpot content is the user's own) nor for the CONTROL message, whose whole
 * purpose is to hand a rotated refresh token to the platform.
 */
import type { Config } from "./config.js";

/** What replaces a secret. */
export const REDACTED = "***";

/**
 * The secret strings of a config: the private-app token, or the OAuth client secret and refresh
 * token. The client ID is not secret (it appears in HubSpot's public install URL).
 */
export function secretsOf(config: Pick<Config, "credentials">): string[] {
  const c = config.credentials;
  const secrets = c.kind === "private-app" ? [c.accessToken] : [c.clientSecret, c.refreshToken];
  return secrets.filter((s) => s.length > 0);
}

// Also caught without knowing the secret: bearer headers, OAuth form/JSON fields, HubSpot
// private-app tokens (pat-<region>-<uuid>), e.g. an access token freshly minted by a refresh.
const BEARER = /\b(Bearer\s+)[^\s"'`,;]+/gi;
const TOKEN_FIELD = /\b((?:access_token|refresh_token|client_secret)["']?\s*[=:]\s*["']?)[^\s"'&,;}]+/gi;
const PRIVATE_APP_TOKEN = /\bpat-[a-z]{2,4}\d*-[0-9a-f-]{8,}/gi;

/**
 * Replaces every occurrence of each secret, as written, URL-encoded or JSON-escaped, and any
 * `Bearer <token>`, with `***`.
 *
 * @param text - a message about to be printed
 * @param secrets - usually {@link secretsOf}(config), plus any token obtained at run time
 * @example
 * redact("GET /crm failed: Authorization: Bearer abc", []); // "GET /crm failed: Authorization: Bearer ***"
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is not left half-masked.
  for (const form of variantsOf(secrets).sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
  return out
    .replace(BEARER, `$1${REDACTED}`)
    .replace(TOKEN_FIELD, `$1${REDACTED}`)
    .replace(PRIVATE_APP_TOKEN, REDACTED);
}

/**
 * A redactor bound to a config's secrets; `add` registers a token learned later (an OAuth
 * access token, a rotated refresh token) so it is masked from then on.
 */
export function redactorFor(config: Pick<Config, "credentials">): {
  (text: string): string;
  add(secret: string): void;
} {
  const secrets = secretsOf(config);
  const redactor = (text: string) => redact(text, secrets);
  redactor.add = (secret: string) => {
    if (secret.length > 0 && !secrets.includes(secret)) secrets.push(secret);
  };
  return redactor;
}

function variantsOf(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length === 0) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  return [...forms];
}
