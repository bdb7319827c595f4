// The heads an auditor's browser keeps, without a browser: the next check names the latest one seen, and
// a head is kept only once per size of the log.
import { describe, expect, it } from "vitest";
import { headToKeep, verifyQuery } from "../../../src/pages/auditor/heads.js";

describe("log heads", () => {
  it("asks the check since the server's last verified head by default, the full one when asked, and the head seen last", () => {
    expect(verifyQuery(undefined)).toBe("");
    expect(verifyQuery(undefined, true)).toBe("?full=true");
    expect(verifyQuery({ seq: 12, hash: "ab", at: "2024-01-01T00:00:00Z" })).toBe("?seq=12&hash=ab");
    expect(verifyQuery({ seq: 12, hash: "ab", at: "2024-01-01T00:00:00Z" }, true)).toBe("?full=true&seq=12&hash=ab");
  });
  it("keeps a head of a grown log, not the same head again, nor an empty log's", () => {
    const kept = { seq: 12, hash: "ab", at: "x" };
    expect(headToKeep(kept, { seq: 15, hash: "cd" }, "t")).toEqual({ seq: 15, hash: "cd", at: "t" });
    expect(headToKeep(kept, { seq: 12, hash: "ab" }, "t")).toBeNull();
    expect(headToKeep(undefined, { seq: 0, hash: "00" }, "t")).toBeNull();
    expect(headToKeep(undefined, { seq: 1, hash: "ef" }, "t")).toEqual({ seq: 1, hash: "ef", at: "t" });
  });
});
