// The name a runner's claims are held under (host:pid:random): unique to this process, readable in the
// store (which host, which process), and telling a process starting on the same host whether the node
// that holds a claim is gone.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

export const nodeId = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/**
 * The node named ran on this host and its process is gone: its claims need not wait for their lease. A
 * node of another host, or a name of another form, is never judged here (its lease says when it is gone).
 * The same process id as this one under another name is a process before this one (a container restarted).
 */
export function goneFromThisHost(node: string, self: string): boolean {
  const m = /^(.*):(\d+):[0-9a-f]+$/.exec(node);
  if (!m || m[1] !== hostname() || node === self) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    // EPERM: a live process of another user
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
