import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { REDACTED, redact, redactorFor, secretsOf } from "../src/redact.js";

const privateApp = parseConfig({ credentials: { access_token: "tok-abc123" } }).config;
const oauth = parseConfig({
  credentials: { client_id: "client-42", client_secret: "s3cr/et+x", refresh_token: "ref-xyz789" },
}).config;

describe("secretsOf", () => {
  it("returns the private-app token", () => {
    expect(secretsOf(privateApp)).toEqual(["tok-abc123"]);
  });

  it("returns the OAuth client secret and refresh token, not the public client id", () => {
    expect(secretsOf(oauth)).toEqual(["s3cr/et+x", "ref-xyz789"]);
  });
});

describe("redact", () => {
  it.each([
    ["a secret anywhere in the text", "token tok-abc123 rejected (tok-abc123)", "token *** rejected (***)"],
    ["a bearer header", "Authorization: Bearer anything.at-all_99", "Authorization: Bearer ***"],
    ["a lower-case bearer", 'headers: {"authorization":"bearer xyz"}', 'headers: {"authorization":"bearer ***"}'],
    [
      "OAuth form fields",
      "body grant_type=refresh_token&refresh_token=unknown-1&client_secret=unknown-2",
      "body grant_type=refresh_token&refresh_token=***&client_secret=***",
    ],
    [
      "a JSON access_token field",
      '{"access_token": "fresh-token", "expires_in": 1800}',
      '{"access_token": "***", "expires_in": 1800}',
    ],
    [
      "a HubSpot private-app token it was not told about",
      "copied pat-na1-0a1b2c3d-4e5f-6789-abcd-ef0123456789 by mistake",
      "copied *** by mistake",
    ],
    [
      "nothing in a clean message",
      "429 from POST /crm/v3/objects/contacts/search",
      "429 from POST /crm/v3/objects/contacts/search",
    ],
  ])("masks %s", (_label, text, expected) => {
    expect(redact(text, ["tok-abc123"])).toBe(expected);
  });

  it("masks URL-encoded and JSON-escaped forms of a secret", () => {
    const secret = 'a/b+c"d';
    const text = `url ?t=${encodeURIComponent(secret)} json ${JSON.stringify({ t: secret })} raw ${secret}`;
    const out = redact(text, [secret]);
    expect(out).toBe('url ?t=*** json {"t":"***"} raw ***');
  });

  it("masks a secret that contains another secret in full", () => {
    expect(redact("value abcdef", ["abc", "abcdef"])).toBe(`value ${REDACTED}`);
  });

  it("ignores empty secrets instead of mangling the text", () => {
    expect(redact("plain text", [""])).toBe("plain text");
  });
});

describe("redactorFor", () => {
  it("masks the config's secrets and tokens added later", () => {
    const r = redactorFor(oauth);
    expect(r("refresh with ref-xyz789 and s3cr/et+x for client-42")).toBe("refresh with *** and *** for client-42");
    expect(r("new token minted-later")).toBe("new token minted-later");
    r.add("minted-later");
    expect(r("new token minted-later")).toBe("new token ***");
  });
});
