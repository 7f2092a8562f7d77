#!/usr/bin/env -S node --max-old-space-size=1024
// The heap cap is far above what a sync needs (its live heap stays under ~100 MB) but makes V8 collect instead of
// growing towards a quarter of the machine's memory: peak RSS ~200 MB instead of ~275 MB (bench/README.md).
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { parseCount, parseList, parseSeconds, usageError } from "./commands/cli-options.js";
import { checkCommand, discoverCommand, readCommand, specCommand } from "./commands/connector.js";
import { syncCommand } from "./commands/sync.js";
import { tierBurstPer10s } from "./config.js";
import { exitCodeOf } from "./errors.js";

const SCALES = ["small", "medium", "large"];
const TIERS = Object.keys(tierBurstPer10s);
const CONFIG = {
  type: "string",
  demandOption: true,
  describe: "config JSON file (see config/*.example.json)",
} as const;

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
      "check the credentials (Airbyte CONNECTION_STATUS; exits 0 even when they fail, as the protocol asks)",
      (y) => y.option("config", CONFIG),
      (a) => run(() => checkCommand(a.config))(),
    )
    .command(
      "discover",
      "list the streams with their schemas (Airbyte CATALOG)",
      (y) => y.option("config", CONFIG),
      (a) => run(() => discoverCommand(a.config))(),
    )
    .command(
      "read",
      "read the configured streams as Airbyte messages on stdout",
      (y) =>
        y
          .option("config", CONFIG)
          .option("catalog", {
            type: "string",
            demandOption: true,
            describe: "configured catalog JSON file (e.g. config/catalog.contacts-incremental.json)",
          })
          .option("state", { type: "string", describe: "state JSON file (array of STREAM states, or legacy object)" }),
      (a) => run(() => readCommand({ configPath: a.config, catalogPath: a.catalog, statePath: a.state }))(),
    )
    .command(
      "sync",
      "sync streams into NDJSON / Parquet files (or stdout) with progress and a state file",
      (y) =>
        y
          .option("config", { type: "string", describe: "config JSON file (not needed with --demo)" })
          .option("streams", {
            type: "string",
            describe: "comma-separated stream names (default: all; `discover` lists them)",
            coerce: (v: string) => parseList("--streams", v),
          })
          .option("sink", {
            type: "string",
            default: "ndjson",
            describe: "ndjson, parquet, stdout, or a comma list",
            coerce: (v: string) => parseList("--sink", v),
          })
          .option("out", { type: "string", default: "out", describe: "output folder, created if missing" })
          .option("state", {
            type: "string",
            describe:
              "state file: read if present, rewritten atomically at each checkpoint (default: <out>/state.json; " +
              "--no-state for none)",
          })
          .option("full-refresh", {
            type: "boolean",
            default: false,
            describe: "ignore the saved state; read everything",
          })
          .option("demo", { type: "boolean", default: false, describe: "sync from the embedded HubSpot simulator" })
          .option("scale", {
            type: "string",
            default: "small",
            choices: SCALES,
            describe: "with --demo: the simulated portal's size (300 / 30,000 / 1,000,000 contacts)",
          })
          .option("checkpoint-seconds", {
            type: "string",
            default: "60",
            describe: "save the state at most this often (seconds ≥ 0)",
            coerce: (v: string) => parseSeconds("--checkpoint-seconds", v),
          })
          .option("checkpoint-records", {
            type: "string",
            default: "500000",
            describe: "…or after this many records of a stream (≥ 1)",
            coerce: (v: string) => parseCount("--checkpoint-records", v),
          })
          .epilog(
            "Ctrl-C or SIGTERM finishes the pages being written, saves the state of what was written and exits " +
              "130 / 143; a second one exits at once.",
          ),
      (a) =>
        run(() =>
          syncCommand({
            configPath: a.config,
            streams: a.streams as string[] | undefined,
            sinks: a.sink as unknown as string[],
            out: a.out,
            statePath: a.state as string | false | undefined,
            fullRefresh: a["full-refresh"],
            demo: a.demo,
            scale: a.scale,
            checkpointSeconds: a["checkpoint-seconds"] as unknown as number,
            checkpointRecords: a["checkpoint-records"] as unknown as number,
          }),
        )(),
    )
    .command(
      "simulate",
      "run the HubSpot simulator until interrupted; prints one JSON line with its URL and credentials",
      (y) =>
        y
          .option("port", { type: "number", default: 0, describe: "TCP port on 127.0.0.1 (0: any free port)" })
          .option("seed", { type: "number", default: 1, describe: "seed of every generated record" })
          .option("scale", {
            type: "string",
            default: "small",
            choices: SCALES,
            describe: "portal size (300 / 30,000 / 1,000,000 contacts)",
          })
          .option("contacts", { type: "number", describe: "exact number of contacts (overrides --scale for them)" })
          .option("tier", {
            type: "string",
            default: "professional",
            choices: [...TIERS, "pro", "addon"],
            describe: "HubSpot tier whose rate limits to enforce, named as in the config's rate_limit_tier",
          })
          .option("faults", { type: "string", describe: "random faults per request, e.g. 429:0.01,reset:0.005" })
          .option("latency-ms", { type: "string", describe: "extra latency per response, e.g. 50-150" })
          .option("write-config", {
            type: "string",
            describe: "write a config for this simulator to FILE, ready for check / discover / read / sync",
          })
          .option("oauth", {
            type: "boolean",
            default: false,
            describe: "with --write-config: OAuth app credentials instead of a private app token",
          }),
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
          writeConfig: a["write-config"],
          oauth: a.oauth,
        });
      },
    )
    .demandCommand(1, "name a command: spec, check, discover, read, sync or simulate")
    .recommendCommands()
    .strict()
    .help()
    .fail((msg, err) => {
      // yargs rewraps what a coerce callback throws as a YError: still a bad command line.
      if (err?.name === "YError") throw usageError(err.message);
      throw err ?? usageError(msg);
    })
    .parseAsync();
  return code;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`source-hubspot: ${message}\n`);
    process.exitCode = exitCodeOf(err) || 1;
  },
);
