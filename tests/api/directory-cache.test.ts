// The directory the ingest routes keep: read once, read again when this node changed it or once older than
// DIRECTORY_TTL_MS (another node's change), and a failed read is not kept.
import { describe, expect, it } from "vitest";
import { DIRECTORY_TTL_MS, forgetKnownDirectory, knownDirectory } from "../../src/api/directory-cache.js";
import type { ReadModel } from "../../src/store/ports.js";
import type { Agency } from "../../src/store/rows.js";

const agency = (code: string): Agency => ({ code, name: code, parent: null, kind: "administrative", aliases: [`legacy-${code}`] });

function counting(answers: Array<Agency[] | Error>) {
  let reads = 0;
  const rm = {
    agencies: async () => {
      const a = answers[Math.min(reads++, answers.length - 1)]!;
      if (a instanceof Error) throw a;
      return a;
    },
  } as Partial<ReadModel> as ReadModel;
  return { rm, reads: () => reads };
}

describe("the kept directory", () => {
  it("is read once, then again after this node's change or the time another node's change takes to show", async () => {
    const { rm, reads } = counting([[agency("H53.01")], [agency("H53.02")], [agency("H53.03")]]);
    const t = 1_000_000;
    expect((await knownDirectory(rm, t)).directory.resolve("legacy-H53.01")).toBe("H53.01");
    await knownDirectory(rm, t + DIRECTORY_TTL_MS - 1);
    expect(reads()).toBe(1);
    forgetKnownDirectory(rm);
    expect((await knownDirectory(rm, t + DIRECTORY_TTL_MS - 1)).agencies.map((a) => a.code)).toEqual(["H53.02"]);
    const later = t + 2 * DIRECTORY_TTL_MS;
    expect((await knownDirectory(rm, later)).agencies.map((a) => a.code)).toEqual(["H53.03"]);
    expect(reads()).toBe(3);
  });

  it("keeps no failed read", async () => {
    const { rm, reads } = counting([new Error("connection lost"), [agency("H53.01")]]);
    await expect(knownDirectory(rm, 0)).rejects.toThrow("connection lost");
    expect((await knownDirectory(rm, 1)).agencies.map((a) => a.code)).toEqual(["H53.01"]);
    expect(reads()).toBe(2);
  });
});
