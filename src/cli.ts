#!/usr/bin/env node
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { checkCommand, discoverCommand, readCommand, specCommand } from "./commands/connector.js";
import { syncCommand } from "./commands/sync.js";
import { exitCodeOf } from "./errors.js";

const list = (value: string | undefined) =>
  value
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** yargs commands → command functions; maps what they return or throw to the exit code. Nothing else. */
async function main(argv: string[]): Promise<number> {
  let code = 0;
  const run = (body: () => Promise<number>) => async () => {
    code = await body();
  };
  await yargs(argv)
    .scriptName("source-hubspot")
    .usage("$0 <command> [options]")
    .command("spec", "print the connector specification (Airbyte SPEC)", {}, run(specCommand))
    .command(
      "check",
      "check the credentials (Airbyte CONNECTION_STATUS)",
      (y) => y.option("config", { type: "string", demandOption: true, describe: "config JSON file" }),
      (a) => run(() => checkCommand(a.config))(),
    )
    .command(
      "discover",
      "list the streams with their schemas (Airbyte CATALOG)",
      (y) => y.option("config", { type: "string", demandOption: true }),
      (a) => run(() => discoverCommand(a.config))(),
    )
    .command(
      "read",
      "read the configured streams as Airbyte messages on stdout",
      (y) =>
        y
          .option("config", { type: "string", demandOption: true })
          .option("catalog", { type: "string", demandOption: true, describe: "configured catalog JSON file" })
          .option("state", { type: "string", describe: "state JSON file (array of STREAM states, or legacy object)" }),
      (a) => run(() => readCommand({ configPath: a.config, catalogPath: a.catalog, statePath: a.state }))(),
    )
    .command(
      "sync",
      "sync streams into NDJSON / Parquet files (or stdout) with progress and a state file",
      (y) =>
        y
          .option("config", { type: "string", describe: "config JSON file" })
          .option("streams", { type: "string", describe: "comma-separated stream names (default: all)" })
          .option("sink", { type: "string", default: "ndjson", describe: "ndjson, parquet, stdout, or a comma list" })
          .option("out", { type: "string", default: "out", describe: "output directory" })
          .option("state", { type: "string", describe: "state file, read if present and rewritten atomically" })
          .option("full-refresh", { type: "boolean", default: false, describe: "ignore state; read everything" })
          .option("demo", { type: "boolean", default: false, describe: "sync from the embedded HubSpot simulator" })
          .option("scale", { type: "string", default: "small", choices: ["small", "medium", "large"] })
          .option("checkpoint-seconds", { type: "number", default: 60, describe: "checkpoint at most this often" })
          .option("checkpoint-records", { type: "number", default: 500_000, describe: "…or after this many records" }),
      (a) =>
        run(() =>
          syncCommand({
            configPath: a.config,
            streams: list(a.streams),
            sinks: list(a.sink) ?? ["ndjson"],
            out: a.out,
            statePath: a.state,
            fullRefresh: a["full-refresh"],
            demo: a.demo,
            scale: a.scale,
            checkpointSeconds: a["checkpoint-seconds"],
            checkpointRecords: a["checkpoint-records"],
          }),
        )(),
    )
    .command(
      "simulate",
      "run the HubSpot simulator until interrupted; prints one JSON line with its URL and credentials",
      (y) =>
        y
          .option("port", { type: "number", default: 0 })
          .option("seed", { type: "number", default: 1 })
          .option("scale", { type: "string", default: "small", choices: ["small", "medium", "large"] })
          .option("contacts", { type: "number" })
          .option("tier", { type: "string", default: "pro", choices: ["free", "pro", "enterprise", "addon"] })
          .option("faults", { type: "string", describe: "e.g. 429:0.01,reset:0.005" })
          .option("latency-ms", { type: "string", describe: "e.g. 50-150" }),
      async (a) => {
        const { simulateCommand } = await import("./simulator/command.js");
        await simulateCommand({
          port: a.port,
          seed: a.seed,
          scale: a.scale,
          contacts: a.contacts,
          tier: a.tier,
          faults: a.faults,
          latencyMs: a["latency-ms"],
        });
      },
    )
    .demandCommand(1, "name a command: spec, check, discover, read, sync or simulate")
    .strict()
    .help()
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .parseAsync();
  return code;
}

class UsageError extends Error {}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`source-hubspot: ${message}\n`);
    process.exitCode = err instanceof UsageError ? 2 : exitCodeOf(err) || 1;
  },
);
