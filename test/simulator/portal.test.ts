import { describe, expect, it } from "vitest";
import { createPortal } from "../../src/simulator/index.js";

describe("seeded portal", () => {
  const portal = createPortal({ seed: 8, counts: { contacts: 2000 } });

  it("uses numeric ids of varying length, increasing with index but not sortable as text", () => {
    const ids = Array.from({ length: portal.count("contacts") }, (_, k) => portal.idAt("contacts", k)!);
    const lengths = new Set(ids.map((id) => id.length));
    expect([...lengths].some((l) => l <= 5)).toBe(true);
    expect([...lengths].some((l) => l >= 9)).toBe(true);
    expect(ids.filter((id) => id.length >= 9).length / ids.length).toBeGreaterThan(0.9);
    const numeric = [...ids].sort((a, b) => Number(a) - Number(b));
    expect(numeric).toEqual(ids);
    expect([...ids].sort()).not.toEqual(ids);
  });

  it("has archived records for every CRM type and counts them apart", () => {
    for (const t of portal.objectTypeNames()) {
      if (portal.count(t) + portal.count(t, true) < 30) continue;
      expect(portal.count(t, true), t).toBeGreaterThan(0);
      const id = portal.idAt(t, 0, true)!;
      expect(portal.get(t, id, true)?.archived).toBe(true);
      expect(portal.get(t, id)).toBeUndefined();
    }
  });

  it("derives symmetric associations", () => {
    for (const [from, to] of [
      ["contacts", "companies"],
      ["deals", "line_items"],
      ["calls", "tickets"],
      ["notes", "contacts"],
    ] as const) {
      for (let k = 0; k < 40; k++) {
        const id = portal.idAt(from, k)!;
        for (const other of portal.associations(from, id, to)) {
          expect(portal.associations(to, other, from)).toContain(id);
        }
      }
    }
  });

  it("generates engagement properties the v1 engagement routes rely on", () => {
    const need: Record<string, string[]> = {
      calls: [
        "hs_call_body",
        "hs_call_to_number",
        "hs_call_from_number",
        "hs_call_status",
        "hs_call_duration",
        "hs_call_recording_url",
        "hs_call_disposition",
        "hs_call_direction",
      ],
      emails: [
        "hs_email_subject",
        "hs_email_html",
        "hs_email_text",
        "hs_email_from_email",
        "hs_email_to_email",
        "hs_email_cc_email",
        "hs_email_bcc_email",
        "hs_email_direction",
      ],
      meetings: ["hs_meeting_title", "hs_meeting_body", "hs_meeting_start_time", "hs_meeting_end_time"],
      notes: ["hs_note_body"],
      tasks: ["hs_task_subject", "hs_task_body", "hs_task_status", "hs_task_type"],
    };
    for (const [type, props] of Object.entries(need)) {
      const rec = portal.get(type, portal.idAt(type, 0)!)!;
      for (const p of [...props, "hs_timestamp", "hubspot_owner_id", "hs_createdate", "hs_lastmodifieddate"]) {
        expect(rec.properties, `${type}.${p}`).toHaveProperty(p);
      }
    }
    const m = portal.get("meetings", portal.idAt("meetings", 1)!)!.properties;
    expect(Date.parse(m.hs_meeting_end_time!)).toBeGreaterThan(Date.parse(m.hs_meeting_start_time!));
  });

  it("bumps updatedAt and lastmodifieddate on update but not on archive", () => {
    const p = createPortal({ seed: 8 });
    const id = p.idAt("contacts", 10)!;
    const before = p.get("contacts", id)!;
    const at = p.now() + 5000;
    const upd = p.update("contacts", id, { firstname: "Ada" }, at);
    expect(upd.updatedAt).toBe(at);
    expect(upd.properties.lastmodifieddate).toBe(new Date(at).toISOString());
    expect(upd.properties.firstname).toBe("Ada");
    expect(upd.createdAt).toBe(before.createdAt);
    p.archive("contacts", id, at + 1000);
    const arch = p.get("contacts", id, true)!;
    expect(arch.updatedAt).toBe(at);
    expect(arch.archivedAt).toBe(at + 1000);
    expect(p.count("contacts", true)).toBe(createPortal({ seed: 8 }).count("contacts", true) + 1);
    const created = p.create("contacts", { email: "new@example.com" });
    expect(Number(created.id)).toBeGreaterThan(Number(p.idAt("contacts", p.count("contacts") - 2)));
    expect(p.idAt("contacts", p.count("contacts") - 1)).toBe(created.id);
  });
});
