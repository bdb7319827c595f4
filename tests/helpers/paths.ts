// Where tests find the shared conformance corpus and the committed fixtures.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SHARED = process.env.KYSO_SHARED_DIR ?? resolve(ROOT, "..", "shared");
export const CORPUS = join(SHARED, "corpus");
export const FIXTURES = join(ROOT, "fixtures", "pdf");
export const hasCorpus = existsSync(join(CORPUS, "expectations.tsv"));

/** Where a suite needs the corpus: without it, one skipped test that says so (a fresh clone has none). */
export const CORPUS_MISSING = `the shared corpus is not at ${CORPUS}: its tests are skipped here (CI has it beside the clone)`;

/** Reads a TSV with a header line into objects. */
export function readTsv(text: string): Array<Record<string, string>> {
  const [head, ...rows] = text.trimEnd().split("\n");
  const cols = head!.split("\t");
  return rows.map((r) => Object.fromEntries(r.split("\t").map((v, i) => [cols[i]!, v])));
}

/** A fixed validation time: tests never read the clock. */
export const AT = "2026-11-27T00:00:00Z";
