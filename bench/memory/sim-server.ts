/**
 * The simulator for bench/memory.ts, in its own process so the connector's RSS is measured alone: the
 * `simulate` command with rate limits off (the CLI keeps them on). Prints the same one JSON line.
 *
 * Run: node --import tsx bench/memory/sim-server.ts --contacts 100000 [--seed 1]
 */
import { simulateCommand } from "../../src/simulator/command.js";
import { numberOption } from "../lib.js";

const argv = process.argv.slice(2);
await simulateCommand({
  seed: numberOption(argv, "seed") ?? 1,
  scale: "small",
  contacts: numberOption(argv, "contacts") ?? 1000,
  rateLimits: false,
});
