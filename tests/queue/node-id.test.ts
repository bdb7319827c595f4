// Which claim holders a starting runner may take claims back from at once: only a process of this host
// that is gone, never a live one, another host's, its own, or a name it cannot read.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { goneFromThisHost, nodeId } from "../../src/queue/node-id.js";

describe("claim holders gone from this host", () => {
  const self = nodeId();
  const ended = spawnSync(process.execPath, ["-e", ""]).pid!;

  it("names this host and process", () => {
    expect(self).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${process.pid}:[0-9a-f]{8}$`));
    expect(nodeId()).not.toBe(self);
  });

  it.each([
    ["a process of this host that ended", `${hostname()}:${ended}:00ff`, true],
    ["an earlier process with this one's id (a restarted container)", `${hostname()}:${process.pid}:00ff`, true],
    ["a live process of this host", `${hostname()}:${process.ppid}:00ff`, false],
    ["this very node", self, false],
    ["another host's process", `not-${hostname()}:${ended}:00ff`, false],
    ["a name of another form", "runner-a", false],
  ])("%s: %s", (_what, node, gone) => {
    expect(goneFromThisHost(node, self)).toBe(gone);
  });
});
