// A re-verification queues its documents in steps over bounded windows of the documents table (issue 27,
// point 3): the log's one entry comes with the last step and counts them all, each document is queued once
// even when it is analyzed again meanwhile, and a server that stops mid-way resumes from the request's
// place at its next start.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { StoreBackgroundWork } from "../../src/queue/background-work.js";
import { embeddedBackground } from "../../src/queue/background-stores.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { pendingReverifications, queueReverification, requestReverification, reverifyStep } from "../../src/lifecycle/reverify.js";

/** 50 analyzed PDFs of two senders (the first 20 of H53.10), and 5 paper documents that have nothing to verify. */
function store(dir = mkdtempSync(join(tmpdir(), "kyso-reverify-"))): Db {
  const db = openDb(dir);
  db.transaction(() => {
    for (let i = 0; i < 55; i++)
      submit(
        db,
        {
          kind: "document",
          source: "register",
          meta: {
            sender: i < 20 ? "H53.10" : "H53.11",
            recipients: ["H53.01"],
            number: `${i}/CV`,
            issuedDate: "2024-03-01",
            receivedAt: i < 30 ? "2024-03-01T00:00:00Z" : "2024-06-01T00:00:00Z",
            classification: "none",
            channel: "paper",
          },
          file: null,
        },
        "test",
      );
    // as if analyzed: the first 50 are PDFs done
    db.prepare("UPDATE documents SET status = 'done', file_kind = 'pdf', sha256 = lower(hex(randomblob(32))) WHERE CAST(number AS INTEGER) < 50").run();
  })();
  return db;
}
const reverifyEntries = (db: Db) =>
  db
    .prepare("SELECT details FROM audit_log WHERE action = 'reverify'")
    .all()
    .map((r) => JSON.parse((r as { details: string }).details) as { queued: number; agency: string | null });
const queuedCount = (db: Db) => (db.prepare("SELECT count(*) n FROM documents WHERE status = 'queued'").get() as { n: number }).n;

describe("re-verification in steps", () => {
  it("queues the analyzed PDFs window by window, and logs once, with the last step, how many", () => {
    const db = store();
    requestReverification(db, {}, "test");
    const steps = [];
    for (let s = reverifyStep(db, 7); s; s = reverifyStep(db, 7)) {
      steps.push(s);
      // no entry before the end: the log says what was queued, once
      expect(reverifyEntries(db)).toHaveLength(s.done ? 1 : 0);
    }
    // 55 documents in windows of 7: 8 steps, the last one shorter than its window
    expect(steps).toHaveLength(8);
    expect(steps.at(-1)).toMatchObject({ queued: 50, done: true });
    expect(queuedCount(db)).toBe(50);
    expect(reverifyEntries(db)).toEqual([{ since: null, agency: null, queued: 50 }]);
    expect(pendingReverifications(db)).toBe(0);
  });

  it("queues a document once even when it is analyzed again before the request ends", () => {
    const db = store();
    requestReverification(db, {}, "test");
    const first = reverifyStep(db, 20)!;
    expect(first.queued).toBe(queuedCount(db));
    // the first window's documents are analyzed again meanwhile: they are behind the request's place
    db.prepare("UPDATE documents SET status = 'done' WHERE status = 'queued'").run();
    while (reverifyStep(db, 20));
    expect(reverifyEntries(db)[0]!.queued).toBe(50);
    expect(queuedCount(db)).toBe(50 - first.queued);
  });

  it("follows the agency and the day, as the command and the API ask", () => {
    const db = store();
    expect(queueReverification(db, { agency: "H53.10" }, "test")).toBe(20);
    db.prepare("UPDATE documents SET status = 'done' WHERE status = 'queued'").run();
    // received on or after 1 June: numbers 30…49 (50…54 are paper)
    expect(queueReverification(db, { since: "2024-06-01" }, "test")).toBe(20);
    expect(reverifyEntries(db).map((e) => [e.agency, e.queued])).toEqual([
      ["H53.10", 20],
      [null, 20],
    ]);
  });

  it("resumes a request a stopped server left half done, at the next start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-reverify-"));
    const first = store(dir);
    requestReverification(first, {}, "test");
    reverifyStep(first, 10);
    reverifyStep(first, 10);
    first.close();
    const db = openDb(dir);
    expect(pendingReverifications(db)).toBe(1);
    let woken = 0;
    const work = new StoreBackgroundWork(embeddedBackground(db), () => woken++);
    work.start();
    await work.idle();
    expect(pendingReverifications(db)).toBe(0);
    expect(queuedCount(db)).toBe(50);
    expect(reverifyEntries(db)).toEqual([{ since: null, agency: null, queued: 50 }]);
    // the analysis runner was woken for what the resumed steps queued
    expect(woken).toBeGreaterThan(0);
    expect(await work.metrics()).toMatch(/^kyso_reverify_requests_pending 0$/m);
  });
});
