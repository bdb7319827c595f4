// The worker's download of a stored PDF from the API node: node:http(s) over kept-alive connections
// (undici's fetch costs a worker more CPU per document than the analysis margin allows), with a time limit
// and the same clear errors for a refused key.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export function fetchBlob(apiUrl: string, sha256: string, key: string, timeoutMs = 30_000): Promise<Uint8Array> {
  const url = new URL(`/api/v1/internal/blobs/${sha256}`, apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);
  const secure = url.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { agent: secure ? agents.https : agents.http, headers: { authorization: `Bearer ${key}` }, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status === 401 || status === 403) return reject(new Error(`the API node refused KYSO_WORKER_KEY (HTTP ${status}): it must be an active API key with the ingest role`));
        if (status !== 200) return reject(new Error(`fetching the PDF from the API node: HTTP ${status}`));
        // one buffer of its own, so it can be moved to the analysis thread
        const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) (out.set(c, at), (at += c.length));
        resolve(out);
      });
    });
    req.on("timeout", () => req.destroy(new Error(`fetching the PDF from the API node took longer than ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}

export function closeBlobAgents(): void {
  agents.http.destroy();
  agents.https.destroy();
}
