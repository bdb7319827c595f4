// makeFolder: parents made one level at a time, every refusal a ConfigError naming the folder, and no
// hang where Node's recursive mkdir loops (under /proc).
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.js";
import { makeFolder } from "../../src/store/folders.js";

describe("makeFolder", () => {
  it("makes the missing parents and leaves an existing folder as it is", () => {
    const base = mkdtempSync(join(tmpdir(), "kyso-folders-"));
    const deep = join(base, "a", "b", "c");
    makeFolder(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeFolder(deep); // again: no error
    makeFolder(base);
  });

  it("names the file that stands in the way", () => {
    const base = mkdtempSync(join(tmpdir(), "kyso-folders-"));
    writeFileSync(join(base, "f"), "x");
    expect(() => makeFolder(join(base, "f", "data"), "data folder")).toThrow(ConfigError);
    expect(() => makeFolder(join(base, "f", "data"), "data folder")).toThrow(
      `cannot make the data folder '${join(base, "f", "data")}': '${join(base, "f")}' is a file, not a folder`,
    );
  });

  it.skipIf(process.platform !== "linux")("refuses a folder under /proc at once (Node's recursive mkdir never returns there)", () => {
    const t0 = performance.now();
    expect(() => makeFolder("/proc/kyso-test/data", "data folder")).toThrow(/cannot make the data folder '\/proc\/kyso-test\/data': .*\(ENOENT/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
