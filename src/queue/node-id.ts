// The name a runner's claims are held under: unique to this process, and readable in the store (which host,
// which process) when an operator asks who holds a document.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

export const nodeId = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
