// Child processes and ports for the tests and benchmarks that run kyso as separate processes.
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** SIGTERM, then SIGKILL after five seconds: nobody waits on a stuck child. */
export async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once("exit", r));
  c.kill("SIGTERM");
  const timer = setTimeout(() => c.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    // no loopback to listen on (a sandbox without it): said, not an unhandled 'error' that ends the process
    const s = createServer()
      .once("error", reject)
      .listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
  });
}
