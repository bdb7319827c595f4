// The threads verifying the log's signed heads: how many a check may start (KYSO_CHECK_THREADS), and the
// answers it gives, against Ed25519 signatures made here.
import { generateKeyPairSync, sign } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { headMessage } from "../../../src/log/key.js";
import { threadedHeads } from "../../../src/store/check/head-threads.js";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const raw = publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("base64");
const root = (seq: number) => seq.toString(16).padStart(64, "0");
const sigOf = (seq: number) => sign(null, Buffer.from(headMessage(seq, root(seq))), privateKey).toString("base64");

const saved = process.env.KYSO_CHECK_THREADS;
afterEach(() => {
  if (saved === undefined) delete process.env.KYSO_CHECK_THREADS;
  else process.env.KYSO_CHECK_THREADS = saved;
});

describe("the signed heads verified on other threads", () => {
  it("answers the lowest entry whose signature fails, once every batch is back", async () => {
    const heads = threadedHeads({ threads: 2, inPlace: 10, batch: 7 });
    try {
      for (let seq = 1; seq <= 100; seq++) {
        // entries 41 and 77 carry another entry's signature
        const answer = heads.check(seq, raw, root(seq), seq === 41 || seq === 77 ? sigOf(seq - 1) : sigOf(seq));
        expect(answer).toBe(seq <= 10 ? true : undefined);
      }
      expect(heads.threads).toBe(2);
      expect(heads.settle()).toBe(41);
    } finally {
      await heads.close();
    }
  });

  it("answers at once in place for the first heads, and null when all verify", async () => {
    const heads = threadedHeads({ threads: 1, inPlace: 5, batch: 3 });
    try {
      expect(heads.check(1, raw, root(1), sigOf(2))).toBe(false);
      for (let seq = 2; seq <= 30; seq++) heads.check(seq, raw, root(seq), sigOf(seq));
      expect(heads.settle()).toBeNull();
    } finally {
      await heads.close();
    }
  });

  it("starts no thread with KYSO_CHECK_THREADS=0, and refuses a value that is not a number of threads", async () => {
    process.env.KYSO_CHECK_THREADS = "0";
    const heads = threadedHeads({ inPlace: 0, batch: 2 });
    for (let seq = 1; seq <= 10; seq++) expect(heads.check(seq, raw, root(seq), sigOf(seq))).toBe(true);
    expect(heads.threads).toBe(0);
    expect(heads.settle()).toBeNull();
    await heads.close();
    process.env.KYSO_CHECK_THREADS = "two";
    expect(() => threadedHeads()).toThrow(/KYSO_CHECK_THREADS must be a whole number of threads \(0 for none\), not 'two'/);
  });
});
