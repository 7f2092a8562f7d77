/**
 * One measurement for bench/streamed-body.ts: fetch one large JSON response over node-fetch and parse it either as
 * the transport does (whole body → string → JSON.parse) or streamed through stream-json's parser and Assembler (the
 * body never held as one string). Prints one JSON line: the peak RSS of that one read above the warmed-up
 * baseline, the parsed object's heap size, and CPU time per response over `--repeat` more reads.
 *
 * Run: node --expose-gc --import tsx bench/streamed-body/client.ts --url BASE --payload NAME --variant text|stream
 *        [--repeat N]   (BASE serves /NAME and a small /tiny for the warm-up)
 */
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import fetch from "node-fetch";
import { parser } from "stream-json";
import Assembler from "stream-json/assembler.js";
import { numberOption, option } from "../lib.js";

const argv = process.argv.slice(2);
const base = option(argv, "url");
const payload = option(argv, "payload");
const variant = option(argv, "variant");
const repeat = numberOption(argv, "repeat") ?? 10;
if (!base || !payload || (variant !== "text" && variant !== "stream")) {
  throw new Error("usage: client.ts --url URL --payload NAME --variant text|stream [--repeat N]");
}
const target = `${base}/${payload}`;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const agent = new http.Agent({ keepAlive: true });

async function viaText(url: string): Promise<{ value: unknown; bytes: number }> {
  const res = await fetch(url, { agent });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { value: JSON.parse(bytes.toString("utf8")), bytes: bytes.byteLength };
}

async function viaStream(url: string): Promise<{ value: unknown; bytes: number }> {
  const res = await fetch(url, { agent });
  const body = res.body as NodeJS.ReadableStream;
  let bytes = 0;
  body.on("data", (chunk: Buffer) => {
    bytes += chunk.byteLength;
  });
  const asm = new Assembler();
  // Packed values only: the Assembler ignores streamed chunks, so emitting them would be pure overhead.
  for await (const token of body.pipe(parser.asStream({ streamValues: false }))) asm.consume(token);
  return { value: asm.current, bytes };
}

const read = variant === "text" ? viaText : viaStream;
const vm = (field: string): number => {
  const line = readFileSync("/proc/self/status", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
};

// Warm up the code paths on a small body, collect, and reset the RSS high-water mark to the current RSS: the
// one large read that follows is then the only thing that can raise it.
for (let i = 0; i < 3; i++) await read(`${base}/tiny`);
gc();
writeFileSync("/proc/self/clear_refs", "5");
const baseRss = vm("VmRSS");
let held: { value: unknown; bytes: number } | undefined = await read(target);
const peakRss = vm("VmHWM");
const bytes = held.bytes;

// The parsed result alone, in the JS heap (the same object either way). A tick first, so that no stack slot of
// this module still refers to it when it is dropped.
await new Promise((resolve) => setTimeout(resolve, 0));
gc();
const withResult = process.memoryUsage().heapUsed;
held = undefined;
gc();
const parsedHeap = withResult - process.memoryUsage().heapUsed;

// CPU per response, over `repeat` more reads.
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < repeat; i++) await read(target);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    variant,
    bytes,
    peakAboveBaseMB: mb(peakRss - baseRss),
    baseRssMB: mb(baseRss),
    /** The parsed result alone, in the JS heap: the same object either way. */
    parsedHeapMB: mb(parsedHeap),
    cpuMsPerResponse: Math.round(((cpu.user + cpu.system) / 1000 / repeat) * 10) / 10,
    wallMsPerResponse: Math.round((wallMs / repeat) * 10) / 10,
  })}\n`,
);
agent.destroy();
