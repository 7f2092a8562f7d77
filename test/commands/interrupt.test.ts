import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { listenForInterrupts } from "../../src/commands/interrupt.js";

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const notified: string[] = [];
  const interruption = listenForInterrupts(
    (signal) => notified.push(signal),
    (code) => exits.push(code),
    emitter as unknown as NodeJS.Process,
  );
  return { emitter, exits, notified, interruption };
}

describe("listenForInterrupts", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ])("aborts on the first %s and reports exit code %d, without exiting", (signal, code) => {
    const p = fakeProcess();
    expect(p.interruption.signal.aborted).toBe(false);
    expect(p.interruption.exitCode()).toBeUndefined();
    p.emitter.emit(signal);
    expect(p.interruption.signal.aborted).toBe(true);
    expect(p.interruption.exitCode()).toBe(code);
    expect(p.notified).toEqual([signal]);
    expect(p.exits).toEqual([]);
  });

  it("exits at once on a second signal", () => {
    const p = fakeProcess();
    p.emitter.emit("SIGTERM");
    p.emitter.emit("SIGINT");
    expect(p.exits).toEqual([130]);
    expect(p.notified).toEqual(["SIGTERM"]);
  });

  it("stops listening once disposed", () => {
    const p = fakeProcess();
    p.interruption.dispose();
    expect(p.emitter.listenerCount("SIGINT") + p.emitter.listenerCount("SIGTERM")).toBe(0);
  });
});
