/**
 * The package as users get it, outside the repo: `npm pack` → a tarball installed into an empty folder, and the
 * Airbyte image's layout (the Dockerfile's runtime stage rebuilt in a folder, since no Docker engine runs here)
 * driven through its entrypoint against the simulator.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { connectorSpecification } from "../../src/protocol/spec.js";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { expectValidLines } from "../helpers/protocol-validator.js";
import { type CliResult, tempFiles } from "./run-cli.js";

const exec = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const NPM = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

/** Runs a command to completion without throwing on a non-zero exit. */
async function run(file: string, args: string[], cwd: string): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : null, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

let sim: SimulatorHandle;
const dir = tempFiles({}).dir;
const consumer = join(dir, "consumer");
const image = join(dir, "airbyte", "integration_code");

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, scale: "small", rateLimits: false });
  // `npm pack` runs `prepare`, so the tarball holds a fresh build of src/.
  const packed = await exec("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: ROOT });
  const tarball = join(dir, packed.stdout.trim().split("\n").at(-1) as string);

  mkdirSync(consumer);
  await exec("npm", ["init", "-y"], { cwd: consumer });
  await exec("npm", ["install", ...NPM, tarball], { cwd: consumer });

  // The Dockerfile's runtime stage: package.json + lock, `npm ci --omit=dev --ignore-scripts`, dist/src, entrypoint.
  mkdirSync(join(dir, "airbyte"));
  await exec("tar", ["xzf", tarball, "-C", join(dir, "airbyte")]);
  await exec("mv", [join(dir, "airbyte", "package"), image]);
  copyFileSync(join(ROOT, "package-lock.json"), join(image, "package-lock.json"));
  copyFileSync(join(ROOT, "entrypoint.sh"), join(image, "entrypoint.sh"));
  await exec("npm", ["ci", "--omit=dev", "--ignore-scripts", ...NPM], { cwd: image });
}, 600_000);
afterAll(() => sim?.close());

describe("the npm package installed from its tarball outside the repo", () => {
  it("runs `source-hubspot spec` from node_modules/.bin", async () => {
    const r = await run(join(consumer, "node_modules", ".bin", "source-hubspot"), ["spec"], consumer);
    expect(r.code).toBe(0);
    const [spec] = expectValidLines(r.stdout) as Record<string, any>[];
    expect(spec?.spec.documentationUrl).toBe(connectorSpecification.documentationUrl);
  });

  it("runs through `npx source-hubspot` in the project that installed it", async () => {
    const r = await run("npx", ["--no", "source-hubspot", "spec"], consumer);
    expect(r.code).toBe(0);
    expect(expectValidLines(r.stdout)[0]?.type).toBe("SPEC");
  });

  it("carries the metadata npm shows: repository, homepage, bugs", () => {
    const installed = JSON.parse(
      readFileSync(join(consumer, "node_modules", "source-hubspot", "package.json"), "utf8"),
    );
    expect(installed.repository.url).toBe("git+https://github.com/source-hubspot/source-hubspot.git");
    expect(installed.homepage).toBe("https://github.com/source-hubspot/source-hubspot#readme");
    expect(installed.bugs.url).toBe("https://github.com/source-hubspot/source-hubspot/issues");
  });
});

describe("the Airbyte image's entrypoint", () => {
  const entrypoint = () => join(image, "entrypoint.sh");
  const files = () =>
    tempFiles({
      "config.json": { credentials: { access_token: sim.credentials.privateAppToken }, base_url: sim.url },
    });

  it("is what the Dockerfile runs and names in AIRBYTE_ENTRYPOINT", () => {
    expect(dockerfile).toMatch(/^FROM node:20-slim/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev --ignore-scripts/m);
    expect(dockerfile).toContain('ENV AIRBYTE_ENTRYPOINT="/airbyte/integration_code/entrypoint.sh"');
    expect(dockerfile).toContain('ENTRYPOINT ["/airbyte/integration_code/entrypoint.sh"]');
    expect(dockerfile).toMatch(/^COPY entrypoint\.sh \.\/$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/build\/dist\/src \.\/dist\/src$/m);
    expect(existsSync(join(image, "node_modules", "vitest"))).toBe(false); // dev dependencies stay out
  });

  it("answers spec, check, discover and read against the simulator", async () => {
    const f = files();
    const spec = await run(entrypoint(), ["spec"], f.dir);
    expect(spec.code).toBe(0);
    expect(expectValidLines(spec.stdout)[0]?.type).toBe("SPEC");

    const check = await run(entrypoint(), ["check", "--config", f["config.json"] as string], f.dir);
    const status = expectValidLines(check.stdout).find((m) => m.type === "CONNECTION_STATUS") as Record<string, any>;
    expect(status.connectionStatus.status).toBe("SUCCEEDED");

    const discover = await run(entrypoint(), ["discover", "--config", f["config.json"] as string], f.dir);
    const catalog = expectValidLines(discover.stdout).find((m) => m.type === "CATALOG") as Record<string, any>;
    expect(catalog.catalog.streams.length).toBeGreaterThan(30);

    const read = await run(
      entrypoint(),
      [
        "read",
        "--config",
        f["config.json"] as string,
        "--catalog",
        join(ROOT, "config/catalog.contacts-incremental.json"),
      ],
      f.dir,
    );
    expect(read.code).toBe(0);
    const records = expectValidLines(read.stdout).filter((m) => m.type === "RECORD");
    expect(records.length).toBe(sim.portal.count("contacts"));
  });
});

describe("metadata.yaml", () => {
  const metadata = parse(readFileSync(join(ROOT, "metadata.yaml"), "utf8")) as { data: Record<string, any> } & Record<
    string,
    unknown
  >;

  it("names the image the Dockerfile labels, at the package's version", () => {
    expect(metadata.data.dockerImageTag).toBe(pkg.version);
    expect(dockerfile).toContain(`io.airbyte.version="${pkg.version}"`);
    expect(dockerfile).toContain(`io.airbyte.name="${metadata.data.dockerRepository}"`);
  });

  it("has the registry's required fields, its own definition id and the spec's documentation URL", () => {
    const d = metadata.data;
    expect(metadata.metadataSpecVersion).toBe("1.0");
    expect(d.connectorType).toBe("source");
    expect(d.connectorSubtype).toBe("api");
    expect(d.definitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(d.definitionId).not.toBe("36c891d9-4bd9-43ac-bad2-10e12756272c"); // Airbyte's own HubSpot source
    expect(d.documentationUrl).toBe(connectorSpecification.documentationUrl);
    expect(d.allowedHosts.hosts).toEqual(["api.hubapi.com"]);
    expect(d.license).toBe(pkg.license);
    for (const key of ["name", "releaseStage", "supportLevel", "githubIssueLabel"])
      expect(typeof d[key]).toBe("string");
  });
});
