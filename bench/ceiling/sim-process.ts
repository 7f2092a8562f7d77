/**
 * A simulator in its own process for the ceiling bench: HubSpot's servers do not share the connector's event loop,
 * and an in-process simulator's page building would delay the connector's sends (jitter the rate windows feel).
 *
 * Child: node --import tsx bench/ceiling/sim-process.ts '<SimulatorOptions as JSON>' → prints {"url","token"}.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type SimulatorOptions, startSimulator } from "../../src/simulator/index.js";

export interface SimProcess {
  url: string;
  token: string;
  /** The simulator's per-route counters (GET /__sim/stats). */
  stats(): Promise<{ rateLimited: number; routes: { route: string; status: number; requests: number }[] }>;
  close(): Promise<void>;
}

export async function startSimProcess(options: SimulatorOptions): Promise<SimProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), JSON.stringify(options)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [first] = (await once(lines, "line")) as [string];
  const { url, token } = JSON.parse(first) as { url: string; token: string };
  return {
    url,
    token,
    stats: async () => (await (await fetch(`${url}/__sim/stats`)).json()) as Awaited<ReturnType<SimProcess["stats"]>>,
    close: async () => {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sim = await startSimulator(JSON.parse(process.argv[2] ?? "{}") as SimulatorOptions);
  process.stdout.write(`${JSON.stringify({ url: sim.url, token: sim.credentials.privateAppToken })}\n`);
  process.on("SIGTERM", () => void sim.close().then(() => process.exit(0)));
}
