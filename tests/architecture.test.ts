// The core (asn1, pdf, cms, pki, verify, classify, compliance, analyze.ts, and the verification log's own
// rules in log/: its entries, Merkle tree, keys and signed history, issue 26) never imports an edge (DESIGN.md
// §3), and no two folders of src import each other, directly or around a loop (asn1 is the floor below
// both cms and pki).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/paths.js";

const CORE = ["asn1", "words", "pdf", "cms", "pki", "verify", "classify", "compliance", "log"];
const EDGES = ["store", "queue", "ingest", "lifecycle", "api", "cli", "workers"];

function files(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
    });
  } catch {
    return [];
  }
}

describe("layering", () => {
  const core = [...CORE.flatMap((d) => files(join(ROOT, "src", d))), join(ROOT, "src", "analyze.ts")];
  it.each(core.map((f) => [relative(ROOT, f), f]))("%s imports no edge", (_rel, file) => {
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/from\s+"([^"]+)"/g)) {
      const target = m[1]!;
      for (const edge of EDGES) expect(target, `${file} imports ${target}`).not.toMatch(new RegExp(`(^|/)${edge}/`));
    }
  });
});

describe("folders", () => {
  // folder → folders it imports from (a file directly in src/ counts as its own name)
  const folderOf = (file: string): string => relative(join(ROOT, "src"), file).split("/")[0]!.replace(/\.ts$/, "");
  const graph = new Map<string, Set<string>>();
  for (const file of files(join(ROOT, "src"))) {
    const from = folderOf(file);
    for (const m of readFileSync(file, "utf8").matchAll(/from\s+"(\.[^"]+)"/g)) {
      const target = resolve(dirname(file), m[1]!);
      if (!target.startsWith(join(ROOT, "src"))) continue;
      const to = folderOf(target.replace(/\.js$/, ".ts"));
      if (to !== from) (graph.get(from) ?? graph.set(from, new Set()).get(from)!).add(to);
    }
  }

  it("import one another without a loop", () => {
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) return void cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("keep asn1 below cms and pki, and pki below cms", () => {
    expect([...(graph.get("asn1") ?? [])]).toEqual([]);
    // the phrase type every domain's table of words shares is a floor too
    expect([...(graph.get("words") ?? [])]).toEqual([]);
    expect(graph.get("pki")?.has("cms") ?? false).toBe(false);
  });
});

describe("what the API node loads at start", () => {
  // modules reached from src/server.ts by static value imports (`import type` and `import()` load nothing)
  const reached = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(/^import\s+(?!type\s)[^;]*?from\s+"([^"]+)"/gms)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) walk(resolve(dirname(file), spec).replace(/\.js$/, ".ts"));
      else if (!spec.startsWith("node:")) packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
    }
  };
  walk(join(ROOT, "src", "server.ts"));

  it("leaves the PDF and workbook libraries of leadership's exports to their thread", () => {
    expect(reached.has(join(ROOT, "src", "server.ts"))).toBe(true);
    expect(reached.has(join(ROOT, "src", "api", "app.ts"))).toBe(true); // the walk follows the server's imports
    for (const f of ["report-pdf.ts", "report-xlsx.ts", "export-thread.ts"]) expect(reached.has(join(ROOT, "src", "api", "exports", f)), f).toBe(false);
    for (const p of ["pdf-lib", "@pdf-lib/fontkit", "exceljs", "pdfjs-dist"]) expect(packages.has(p), p).toBe(false);
  });
});

describe("files", () => {
  // file → files it imports, `import type` included: a circle of types is still two files that cannot be
  // read, changed or moved one without the other
  const graph = new Map<string, string[]>();
  for (const file of files(join(ROOT, "src"))) {
    graph.set(
      file,
      [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s+"(\.[^"]+)"/g)].map((m) => resolve(dirname(file), m[1]!).replace(/\.js$/, ".ts")),
    );
  }

  it("of src import one another without a circle", () => {
    // Tarjan's strongly connected components: any with two files or more is a circle
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const circles: string[][] = [];
    const visit = (v: string): void => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) !== index.get(v)) return;
      const component: string[] = [];
      for (let w = ""; w !== v;) component.push((w = stack.pop()!));
      if (component.length > 1) circles.push(component.map((f) => relative(join(ROOT, "src"), f)).sort());
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    expect(circles).toEqual([]);
  });

  it("keep the HTTP edge's app.ts to mounting its sub-apps (under 100 lines)", () => {
    const app = readFileSync(join(ROOT, "src", "api", "app.ts"), "utf8");
    expect(app.split("\n").length).toBeLessThan(100);
    expect(app).not.toMatch(/\.openapi\(|\.prepare\(/);
  });

  // a backend's folder (store/sqlite, store/postgres) is the only place that speaks its database's language
  const backends = ["sqlite", "postgres"].map((b) => join(ROOT, "src", "store", b) + "/");
  const outsideBackends = files(join(ROOT, "src")).filter((f) => !backends.some((b) => f.startsWith(b)));

  it("hold SQL in the store's backend folders only: no other file prepares or runs a statement", () => {
    const sql = /\.prepare\(|\.exec\("|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^"`]*\b(FROM|SET|VALUES|WHERE)\b/;
    expect(outsideBackends.length).toBeGreaterThan(100); // the walk found the sources
    expect(outsideBackends.filter((f) => sql.test(readFileSync(f, "utf8"))).map((f) => relative(join(ROOT, "src"), f))).toEqual([]);
  });

  it("derive a document's category and counts in compliance only: no SQL restates the rule", () => {
    // the columns the figures read are written from a derivation's result (a bound @parameter, ? or $n), never
    // computed by the database (a CASE, a literal, a content kind or the Nghị định 30 flag in an UPDATE)
    const computed = /\b(counts|category)\s*=\s*(CASE\b|'|\d)|\bSET\b(?:(?!\bWHERE\b)[^;"`])*?\b(counts|category)\s*=\s*(?![@?$\s]*[@?$])/is;
    const store = files(join(ROOT, "src", "store"));
    expect(store.length).toBeGreaterThan(10);
    expect(store.filter((f) => computed.test(readFileSync(f, "utf8"))).map((f) => relative(join(ROOT, "src"), f))).toEqual([]);
    // what it caught: the policy change's SQL before issue 26 (kept here, so the pattern cannot drift to nothing)
    expect(computed.test("UPDATE documents SET counts = CASE WHEN category = 'signed-valid' THEN 1 ELSE 0 END")).toBe(true);
    expect(computed.test("UPDATE documents SET category = CASE WHEN @seal = 1 AND sealed = 0 THEN 'signed-valid-not-sender' END")).toBe(true);
    expect(computed.test("UPDATE documents SET held = @held, category = @category, counts = @counts WHERE id = @id")).toBe(false);
    expect(computed.test("UPDATE documents SET held = $9, category = $10, counts = $11 WHERE id = $1")).toBe(false); // PostgreSQL's parameters
  });

  it("decide on errors by their type or code, never by matching their words (outside the backends that translate their driver's)", () => {
    const byWords = /\.test\(\s*(?:\(\s*)?(?:e|err|error)(?:\s+as\s+Error\s*\))?\.message\b/;
    expect(byWords.test("if (/no MessageHeader/.test(e.message) && raw)")).toBe(true); // what scan.ts did
    expect(byWords.test("const memory = /memory/i.test(e.message);")).toBe(true); // what parse-thread.ts did
    expect(outsideBackends.filter((f) => byWords.test(readFileSync(f, "utf8"))).map((f) => relative(join(ROOT, "src"), f))).toEqual([]);
  });

  it("import a database driver in the store's backend folders only", () => {
    const driver = /from\s+"(better-sqlite3|pg|pg-[a-z-]+)"/;
    expect(outsideBackends.filter((f) => driver.test(readFileSync(f, "utf8"))).map((f) => relative(join(ROOT, "src"), f))).toEqual([]);
  });
});

describe("texts", () => {
  // issue 26 point 4: the core says what it found as keys and parameters, and pages render the key; no table
  // of regular expressions reads English back into another language (the tables detail-words.ts held)
  const REGEX_TABLE = /(?:Array|Map)<\s*\[\s*RegExp\s*,|Array<\s*\{\s*\w+\s*:\s*RegExp|:\s*\[\s*RegExp\s*,\s*\(/;

  it("are never translated by a table keyed by regular expressions in src/verify or src/api", () => {
    const sources = ["verify", "api"].flatMap((d) => files(join(ROOT, "src", d)));
    expect(sources.length).toBeGreaterThan(20);
    expect(sources.filter((f) => REGEX_TABLE.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("would see such a table", () => {
    expect(REGEX_TABLE.test("const CHANGE: Array<[RegExp, (m: RegExpExecArray) => string]> = [")).toBe(true);
    expect(REGEX_TABLE.test("const PHRASES: Array<{ en: RegExp; vi: (m: RegExpExecArray) => string }> = [];")).toBe(true);
    expect(REGEX_TABLE.test("const table = new Map<[RegExp, string]>();")).toBe(true);
  });
});

describe("pages", () => {
  // the browser's code is TypeScript in src/pages, bundled at build; the server only inlines the bundle
  const pages = files(join(ROOT, "src", "pages"));

  it("keep their scripts in src/pages: no script body in a template string of src/api", () => {
    expect(pages.length).toBeGreaterThan(0);
    for (const file of files(join(ROOT, "src", "api"))) {
      const src = readFileSync(file, "utf8");
      expect(src, relative(ROOT, file)).not.toMatch(/String\.raw`/);
      for (const m of src.matchAll(/<script>([\s\S]*?)<\/script>/g)) expect(m[1], relative(ROOT, file)).toBe("${script}");
    }
  });

  it("import nothing of the server's edges or Node: only each other, report-words' tables and core types", () => {
    for (const file of pages) {
      // import and export statements (value and type), and imports for their effect alone
      for (const m of readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"/gm)) {
        const spec = (m[1] ?? m[2])!;
        const where = `${relative(ROOT, file)} imports ${spec}`;
        expect(spec, where).toMatch(/^\./);
        const target = relative(join(ROOT, "src"), resolve(dirname(file), spec));
        expect(target, where).not.toMatch(/^(store|queue|cli|workers|ingest|lifecycle)\//);
        if (target.startsWith("api/")) expect(target, where).toBe("api/report-words.js");
      }
    }
  });

  it("are each bundled: every folder of src/pages but shared has a main.ts the build names", () => {
    const build = readFileSync(join(ROOT, "scripts", "build-pages.mjs"), "utf8");
    const folders = readdirSync(join(ROOT, "src", "pages"), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== "shared")
      .map((d) => d.name);
    expect(folders).toContain("dashboard");
    for (const page of folders) {
      expect(statSync(join(ROOT, "src", "pages", page, "main.ts")).isFile()).toBe(true);
      expect(build).toContain(`"${page}"`);
    }
  });
});
