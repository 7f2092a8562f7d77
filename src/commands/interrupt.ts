/** Exit code of a run ended by a signal: 128 + the signal's number, as shells report it. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

export interface Interruption {
  /** Aborted by the first SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
  /** 130 or 143 once a signal arrived, else undefined. */
  exitCode(): number | undefined;
  /** Stop listening (the run is over). */
  dispose(): void;
}

/**
 * The first SIGINT or SIGTERM aborts `signal`, so the pipeline finishes the page being written and checkpoints
 * what was written; a second one exits at once, since the user has said twice that they will not wait.
 *
 * @param notify - told once, when the first signal arrives (a line on stderr or an Airbyte LOG)
 */
export function listenForInterrupts(
  notify: (signal: StopSignal) => void,
  exit: (code: number) => void = (code) => process.exit(code),
  target: Pick<NodeJS.Process, "on" | "off"> = process,
): Interruption {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = Object.fromEntries(
    (Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]).map((name) => [
      name,
      () => {
        if (received) return exit(SIGNAL_EXIT_CODES[name]);
        received = name;
        notify(name);
        controller.abort();
      },
    ]),
  ) as Record<StopSignal, () => void>;
  for (const [name, handler] of Object.entries(handlers)) target.on(name, handler);
  return {
    signal: controller.signal,
    exitCode: () => (received ? SIGNAL_EXIT_CODES[received] : undefined),
    dispose: () => {
      for (const [name, handler] of Object.entries(handlers)) target.off(name, handler);
    },
  };
}
