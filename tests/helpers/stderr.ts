// What this process writes to standard error while a test runs (the runners' messages), still shown.
export function captureStderr(): { text(): string; restore(): void } {
  const said: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => (
    said.push(String(chunk)),
    (write as (...a: unknown[]) => boolean)(chunk, ...rest)
  )) as typeof process.stderr.write;
  return { text: () => said.join(""), restore: () => void (process.stderr.write = write) };
}
