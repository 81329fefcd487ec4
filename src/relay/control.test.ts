import { describe, expect, test } from "bun:test";
import { createOperatorControl } from "./control.ts";

describe("quit exit status (spec 06 §6.3: 128 + signo)", () => {
  test("the keyboard's Ctrl+C and SIGINT quit with 130", () => {
    const keys = createOperatorControl();
    keys.quit();
    expect(keys.quitExitCode).toBe(130);
    const int = createOperatorControl();
    int.quit("SIGINT");
    expect(int.quitExitCode).toBe(130);
  });

  test("SIGTERM quits with 143 and SIGHUP with 129", () => {
    const term = createOperatorControl();
    term.quit("SIGTERM");
    expect(term.quitExitCode).toBe(143);
    const hup = createOperatorControl();
    hup.quit("SIGHUP");
    expect(hup.quitExitCode).toBe(129);
  });

  test("the first quit names the status; a second one only escalates to a kill", () => {
    const c = createOperatorControl();
    const attempt = c.attempt();
    c.quit("SIGTERM");
    c.quit("SIGINT");
    expect(c.quitCount).toBe(2);
    expect(c.quitExitCode).toBe(143);
    expect(attempt.killSignal.aborted).toBe(true);
  });
});
