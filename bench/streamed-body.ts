/**
 * Streamed bodies (issue 10, item 7): does parsing a large HubSpot response with stream-json, so the body is never
 * held as one string, save memory worth its CPU cost, against the transport's whole body → string → JSON.parse?
 *
 * What is compared: two ways to read the same response over node-fetch (bench/streamed-body/client.ts), each in a
 * fresh child process: `text` (arrayBuffer → UTF-8 string → JSON.parse, as src/sources/transport.ts reads) and
 * `stream` (the body stream piped through stream-json's `parser({ streamValues: false })` into its `Assembler`).
 * Figures per child: the RSS high-water mark above the warmed-up baseline (VmHWM after resetting it through
 * /proc/self/clear_refs) over `repeat` sequential reads holding one result at a time, as a pager does; process CPU
 * time per response (user + system). The server runs in this process, so its memory is not counted.
 *
 * Data (generated, deterministic): the large responses the issue names —
 *   crm-page    a CRM list page: 100 contacts × 600 properties (string, number-as-string, ISO dates, nulls)
 *   properties  GET /crm/v3/properties for a portal with 5,000 custom properties (enumeration options on a third)
 *   engagements an engagements v1 page: 250 emails with ~20 KB HTML bodies each
 *
 * Run: node --import tsx bench/streamed-body.ts [--smoke] [--repeat N] [--runs N]
 *
 * Last numbers: see bench/README.md, "Streamed bodies".
 * Reading: the memory saved is at most the body's size in bytes, string plus buffer, per response in flight;
 * it is worth a dependency only if it is large next to the parsed object (which both ways build in full) and
 * costs little CPU.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchReport, flag, isMain, machine, numberOption, round } from "./lib.js";

const here = fileURLToPath(new URL(".", import.meta.url));

/** A tiny deterministic generator (xorshift) so that every run serves the same bytes. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore".split(
  " ",
);
const text = (r: () => number, n: number) =>
  Array.from({ length: n }, () => words[Math.floor(r() * words.length)]).join(" ");

function crmPage(r: () => number): unknown {
  const results = Array.from({ length: 100 }, (_, i) => {
    const properties: Record<string, string | null> = {};
    for (let p = 0; p < 600; p++) {
      const kind = p % 5;
      properties[`custom_property_${p}`] =
        r() < 0.12
          ? null
          : kind === 0
            ? text(r, 3)
            : kind === 1
              ? String(Math.floor(r() * 1e6))
              : kind === 2
                ? new Date(1.7e12 + Math.floor(r() * 1e10)).toISOString()
                : kind === 3
                  ? r() < 0.5
                    ? "true"
                    : "false"
                  : `option_${Math.floor(r() * 20)}`;
    }
    const id = String(1000 + i);
    return {
      id,
      properties,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-06-01T00:00:00.000Z",
      archived: false,
    };
  });
  return {
    results,
    paging: { next: { after: "1100", link: "https://api.hubapi.com/crm/v3/objects/contacts?after=1100" } },
  };
}

function propertiesPage(r: () => number): unknown {
  const results = Array.from({ length: 5_000 }, (_, i) => {
    const enumeration = i % 3 === 0;
    return {
      name: `custom_property_${i}`,
      label: `Custom property ${i}: ${text(r, 3)}`,
      type: enumeration ? "enumeration" : "string",
      fieldType: enumeration ? "select" : "text",
      description: text(r, 12),
      groupName: "contactinformation",
      options: enumeration
        ? Array.from({ length: 12 }, (_, o) => ({
            label: `Option ${o}`,
            value: `option_${o}`,
            displayOrder: o,
            hidden: false,
          }))
        : [],
      displayOrder: -1,
      calculated: false,
      externalOptions: false,
      hasUniqueValue: false,
      hidden: false,
      hubspotDefined: false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      formField: true,
      createdAt: "2024-03-01T10:00:00.000Z",
      updatedAt: "2025-03-01T10:00:00.000Z",
      archived: false,
    };
  });
  return { results };
}

function engagementsPage(r: () => number): unknown {
  const results = Array.from({ length: 250 }, (_, i) => ({
    engagement: {
      id: 9_000_000 + i,
      portalId: 123,
      active: true,
      createdAt: 1.7e12 + i,
      lastUpdated: 1.7e12 + i,
      type: "EMAIL",
    },
    associations: { contactIds: [1001 + i], companyIds: [], dealIds: [], ownerIds: [], workflowIds: [], ticketIds: [] },
    attachments: [],
    metadata: {
      from: { email: "sales@example.com", firstName: "Sal", lastName: "Es" },
      to: [{ email: `contact${i}@example.com` }],
      subject: text(r, 8),
      html: `<html><body>${Array.from({ length: 120 }, () => `<p>${text(r, 25)}</p>`).join("")}</body></html>`,
      text: text(r, 200),
    },
  }));
  return { results, hasMore: true, offset: 250 };
}

const TINY = Buffer.from(JSON.stringify({ results: [{ id: "1", properties: { a: "b" } }] }));

const PAYLOADS = { "crm-page": crmPage, properties: propertiesPage, engagements: engagementsPage } as const;
type PayloadName = keyof typeof PAYLOADS;

interface Measurement {
  variant: "text" | "stream";
  bytes: number;
  peakAboveBaseMB: number;
  baseRssMB: number;
  parsedHeapMB: number;
  cpuMsPerResponse: number;
  wallMsPerResponse: number;
}

function child(url: string, payload: string, variant: string, repeat: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        "--expose-gc",
        "--import",
        "tsx",
        join(here, "streamed-body", "client.ts"),
        "--url",
        url,
        "--payload",
        payload,
        "--variant",
        variant,
        "--repeat",
        String(repeat),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    p.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    p.on("error", reject);
    p.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out) as Measurement) : reject(new Error(`client exited ${code}`)),
    );
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

export interface StreamedBodyOptions {
  smoke?: boolean;
  repeat?: number;
  runs?: number;
  log?: (line: string) => void;
}

export async function run(opts: StreamedBodyOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const repeat = opts.repeat ?? (opts.smoke ? 2 : 10);
  const runs = opts.runs ?? (opts.smoke ? 1 : 5);
  const started = machine();
  const bodies = new Map<string, Buffer>();
  for (const [name, make] of Object.entries(PAYLOADS)) bodies.set(name, Buffer.from(JSON.stringify(make(rng(7)))));
  const server = http.createServer((req, res) => {
    const name = (req.url ?? "").slice(1);
    const body = name === "tiny" ? TINY : bodies.get(name);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": "application/json;charset=utf-8", "Content-Length": String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows: Record<string, unknown>[] = [];
  try {
    // Smoke: one payload, enough to prove the script runs and reports.
    const names = (Object.keys(PAYLOADS) as PayloadName[]).slice(0, opts.smoke ? 1 : undefined);
    for (const name of names) {
      const got: Record<"text" | "stream", Measurement[]> = { text: [], stream: [] };
      // Alternate the variants so that load from other work on the box hits both alike.
      for (let i = 0; i < runs; i++)
        for (const v of ["text", "stream"] as const) got[v].push(await child(base, name, v, repeat));
      const m = (v: "text" | "stream", k: keyof Measurement) => median(got[v].map((x) => x[k] as number));
      const spread = (v: "text" | "stream") => {
        const peaks = got[v].map((x) => x.peakAboveBaseMB);
        return `${Math.min(...peaks)}–${Math.max(...peaks)}`;
      };
      const row = {
        payload: name,
        bodyMB: round((bodies.get(name) as Buffer).length / 2 ** 20, 2),
        parsedHeapMB: m("text", "parsedHeapMB"),
        peakTextMB: m("text", "peakAboveBaseMB"),
        peakStreamMB: m("stream", "peakAboveBaseMB"),
        peakRangeTextMB: spread("text"),
        peakRangeStreamMB: spread("stream"),
        cpuTextMs: m("text", "cpuMsPerResponse"),
        cpuStreamMs: m("stream", "cpuMsPerResponse"),
        cpuRatio: round(m("stream", "cpuMsPerResponse") / m("text", "cpuMsPerResponse"), 1),
      };
      log(JSON.stringify(row));
      rows.push(row);
    }
  } finally {
    server.close();
  }
  const measured = rows
    .map(
      (r) =>
        `${r.payload} ${r.bodyMB} MB: peak +${r.peakTextMB} MB text vs +${r.peakStreamMB} MB streamed, CPU ${r.cpuTextMs} vs ${r.cpuStreamMs} ms (${r.cpuRatio}×)`,
    )
    .join("; ");
  return {
    name: "streamed-body",
    question: "6. Streamed bodies (stream-json vs JSON.parse)",
    goal: "decide by measurement: memory saved per large response vs CPU cost",
    measured,
    met: null,
    method: `bench/streamed-body.ts: child process per variant, ${repeat} reads each, median of ${runs}; VmHWM above baseline; process CPU`,
    machine: started,
    details: rows,
  };
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const report = await run({
    smoke: flag(argv, "smoke"),
    repeat: numberOption(argv, "repeat"),
    runs: numberOption(argv, "runs"),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
