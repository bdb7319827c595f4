// Who the verification log names for a command run by hand: the operating-system user.
import { userInfo } from "node:os";

export function cliActor(): string {
  let name = "unknown";
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep "unknown"
  }
  return `cli:${name}`;
}
