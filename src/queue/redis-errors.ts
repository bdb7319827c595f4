// Redis connection errors said once per change of state, with how many there were: an unreachable Redis
// made ioredis and BullMQ print a full stack trace about 19 times a second (issue 28, point 6).
export class RedisErrorLog {
  private failing = false;
  private count = 0;
  private first = "";

  constructor(
    private readonly what: string,
    private readonly write: (line: string) => void = (l) => void process.stderr.write(l),
  ) {}

  /** A listener for the 'error' events of queues, workers and connections. */
  readonly error = (e: Error): void => {
    this.count++;
    if (this.failing) return;
    this.failing = true;
    this.first = e.message;
    this.write(`kyso: ${this.what}: Redis cannot be reached (${e.message}); retrying, said again when it answers\n`);
  };

  /** Redis answered: said once, with how many errors the outage brought. */
  ok(): void {
    if (!this.failing) return;
    this.write(`kyso: ${this.what}: Redis answers again (${this.count} connection error(s) while it did not, the first: ${this.first})\n`);
    this.failing = false;
    this.count = 0;
  }

  get down(): boolean {
    return this.failing;
  }
}
