import { concatMap, lastValueFrom, map } from "rxjs";
import { HubSpotSource, pageGate, parquetSink, parseConfig, startSimulator, unnestProperties } from "source-hubspot";

/** Contacts from the simulator → your own filter → unnestProperties() → Parquet. Returns rows written. */
export async function customersToParquet(outDir: string): Promise<number> {
  const sim = await startSimulator({ seed: 1, scale: "small" });
  const { config } = parseConfig({ credentials: { access_token: sim.credentials.privateAppToken }, base_url: sim.url });
  const source = new HubSpotSource(config, { log: (level, message) => console.error(level, message) });
  const sink = parquetSink({ dir: outDir });
  await sink.open({ name: "customers", mode: "overwrite" });

  const gate = pageGate(); // the next page is fetched only once this one is written
  let written = 0;
  await lastValueFrom(
    source.read("contacts", gate.ready).pipe(
      map((page) => ({
        ...page,
        records: page.records.filter(
          (r) => (r.properties as { lifecyclestage?: string }).lifecyclestage === "customer",
        ),
      })),
      unnestProperties(),
      concatMap(async (page) => {
        await sink.write("customers", page.records);
        written += page.records.length;
        gate.written();
      }),
    ),
    { defaultValue: undefined },
  );

  await sink.close();
  source.close();
  await sim.close();
  return written;
}
