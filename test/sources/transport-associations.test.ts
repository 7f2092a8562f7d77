/**
 * Which refusals of an association read cost only that association type, decided by error code: a missing scope
 * or an unknown pair leaves the field off; a used-up daily limit fails the read like any other call.
 */
import { lastValueFrom } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import type { HttpError } from "../../src/errors.js";
import { Auth } from "../../src/sources/auth.js";
import { attachAssociations } from "../../src/sources/crm/associations.js";
import { Transport } from "../../src/sources/transport.js";
import { type Reply, type ScriptedServer, scriptedServer } from "../helpers/scripted-server.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function attach(reply: Reply): Promise<{ records: Record<string, unknown>[]; skipped: string[] }> {
  server = await scriptedServer(() => reply);
  const transport = new Transport({
    baseUrl: server.url,
    auth: new Auth({ kind: "private-app", accessToken: "tok" }, async () => ({ status: 500, body: undefined })),
    requestsPer10s: 1_000,
    searchPerSecond: 100,
    timeoutMs: 5_000,
    maxAttempts: 1,
  });
  const skipped: string[] = [];
  try {
    const records = await lastValueFrom(
      attachAssociations(transport, "contacts", ["companies"], [{ id: "1" }], (to, err: HttpError) => {
        skipped.push(`${to}:${err.code}`);
      }),
    );
    return { records, skipped };
  } finally {
    transport.close();
  }
}

describe("association refusals", () => {
  it("leaves the field off on a 403 and reports it once", async () => {
    const { records, skipped } = await attach({ status: 403, body: { message: "scopes", category: "MISSING_SCOPES" } });
    expect(records).toEqual([{ id: "1" }]);
    expect(skipped).toEqual(["companies:MISSING_SCOPES"]);
  });

  it("leaves the field off for an association pair HubSpot refuses (400)", async () => {
    const { records, skipped } = await attach({
      status: 400,
      body: { message: "invalid pair", category: "VALIDATION_ERROR" },
    });
    expect(records).toEqual([{ id: "1" }]);
    expect(skipped).toEqual(["companies:BAD_REQUEST"]);
  });

  it("fails the read when the daily limit is used up, instead of dropping associations", async () => {
    await expect(
      attach({ status: 429, body: { message: "You have reached your daily limit.", policyName: "DAILY" } }),
    ).rejects.toMatchObject({ code: "DAILY_LIMIT" });
  });
});
