// Redis connection errors are said once per change of state, with a count (issue 28, point 6): a real
// BullMQ queue pointed at a port where no Redis listens errs many times; one line says so, and when it
// answers again one line says that, with how many errors there were.
import { createServer } from "node:net";
import { Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { RedisErrorLog } from "../../src/queue/redis-errors.js";

describe("Redis connection errors", () => {
  it("are said once while Redis cannot be reached, however many there are, and once when it answers", async () => {
    // a port nobody listens on: take one, then free it
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const lines: string[] = [];
    const log = new RedisErrorLog("test queue", (l) => void lines.push(l));
    const q = new Queue("kyso-test-unreachable", { connection: { host: "127.0.0.1", port, retryStrategy: () => 50, maxRetriesPerRequest: null } });
    let errors = 0;
    q.on("error", (e) => {
      errors++;
      log.error(e);
    });
    await new Promise((r) => setTimeout(r, 1500));
    await q.close().catch(() => undefined);
    expect(errors).toBeGreaterThan(5);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kyso: test queue: Redis cannot be reached \(.*ECONNREFUSED.*\); retrying/);
    log.ok();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`Redis answers again \\((${errors}) connection error`));
    log.ok();
    expect(lines).toHaveLength(2);
  }, 20_000);
});
