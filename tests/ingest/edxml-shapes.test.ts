// The generated exchange traffic (fixtures/exchange) is built from the real messages' shapes: every element
// path the national exchange's own messages use (../shared/corpus/edxml) appears in the generated ones,
// so the generator cannot drift from what the exchange sends (issue 23).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS, CORPUS_MISSING, hasCorpus, ROOT } from "../helpers/paths.js";

/** The element paths of a message, namespace prefixes left out (`edXML/edXMLEnvelope/…/OrganId`). */
export function elementPaths(xml: string): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w.:-]*)([^>]*?)(\/?)>/g)) {
    const name = m[2]!.split(":").pop()!;
    if (m[1]) {
      stack.pop();
      continue;
    }
    stack.push(name);
    out.add(stack.join("/"));
    if (m[4]) stack.pop();
  }
  return out;
}

const pathsOf = (dir: string) => {
  const all = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".edxml"))) {
    const xml = readFileSync(join(dir, f), "utf8");
    if (!xml.startsWith("<?xml")) continue; // the not-XML message
    for (const p of elementPaths(xml)) all.add(p);
  }
  return all;
};

describe.skipIf(!hasCorpus)("generated edXML against the exchange's own messages", () => {
  it("uses every element path the real messages use", () => {
    const real = pathsOf(join(CORPUS, "edxml"));
    const generated = pathsOf(join(ROOT, "fixtures", "exchange", "traffic", "messages"));
    expect(real.size).toBeGreaterThan(80);
    expect([...real].filter((p) => !generated.has(p)).sort()).toEqual([]);
  });
});

if (!hasCorpus) it.skip(CORPUS_MISSING, () => {});
