// The worker's download of stored PDFs from the API node: node:http(s) over kept-alive connections
// (undici's fetch costs a worker more CPU per document than the analysis margin allows), with a time limit
// and the same clear errors for a refused key. Workers ask for PDFs in groups (worker-routes.ts): the small ones
// of a batch together, a large one alone.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * The API node could not be asked (refused, reset, timed out, or answered 5xx): nothing is known about the
 * documents, so their jobs wait for the API node rather than use up their attempts.
 */
export class ApiUnreachable extends Error {
  override name = "ApiUnreachable";
}

/** Must match BLOB_LENGTHS_HEADER of the API's worker routes. */
const LENGTHS_HEADER = "x-kyso-blob-lengths";

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  body: Uint8Array;
}

/** The most a worker accepts in one answer: the isolated analyzer's largest file. */
const MAX_ANSWER_BYTES = 1 << 30;

function call(apiUrl: string, path: string, key: string, timeoutMs: number, json?: unknown): Promise<Answer> {
  const url = new URL(path, apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);
  const secure = url.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: payload ? "POST" : "GET", agent: secure ? agents.https : agents.http, headers, timeout: timeoutMs },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on("data", (c: Buffer) => {
          received += c.length;
          if (received > MAX_ANSWER_BYTES) req.destroy(new Error(`the API node's answer is larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on("error", reject);
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status === 401 || status === 403)
            return reject(new Error(`the API node refused KYSO_WORKER_KEY (HTTP ${status}): it must be an active API key with the ingest role`));
          // one buffer of its own, so a whole PDF can be moved to the analysis thread
          const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
          let at = 0;
          for (const c of chunks) (body.set(c, at), (at += c.length));
          resolve({ status, headers: res.headers, body });
        });
      },
    );
    req.on("timeout", () => req.destroy(new ApiUnreachable(`fetching from the API node took longer than ${timeoutMs / 1000} s`)));
    req.on("error", (e: Error & { code?: string }) =>
      reject(e instanceof ApiUnreachable || e.code ? new ApiUnreachable(`the API node at ${url.origin} cannot be reached (${e.code ?? e.message})`) : e),
    );
    req.end(payload);
  });
}

/** Several PDFs in one request; each is its bytes or the error that stands for it. */
export async function fetchBlobs(apiUrl: string, sha256s: string[], key: string, timeoutMs = 30_000): Promise<Array<Uint8Array | Error>> {
  const a = await call(apiUrl, "/api/v1/internal/blobs", key, timeoutMs, { sha256: sha256s });
  if (a.status >= 500) throw new ApiUnreachable(`fetching the PDFs from the API node: HTTP ${a.status}`);
  if (a.status !== 200) throw new Error(`fetching the PDFs from the API node: HTTP ${a.status}`);
  const lengths = String(a.headers[LENGTHS_HEADER] ?? "")
    .split(",")
    .map(Number);
  if (lengths.length !== sha256s.length || lengths.some((n) => !Number.isInteger(n) || n < -1))
    throw new Error(`fetching the PDFs from the API node: a malformed ${LENGTHS_HEADER} header`);
  if (lengths.reduce((n, l) => n + Math.max(0, l), 0) !== a.body.length)
    throw new Error("fetching the PDFs from the API node: the body is not as long as the lengths say");
  let at = 0;
  return lengths.map((n) => {
    if (n < 0) return new Error("fetching the PDF from the API node: HTTP 404");
    const out = a.body.slice(at, at + n); // a buffer of its own for each, to be moved to the thread
    at += n;
    return out;
  });
}

export function closeBlobAgents(): void {
  agents.http.destroy();
  agents.https.destroy();
}
