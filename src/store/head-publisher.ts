// The server's publication of its signed log head: at start, every interval when the log grew, and at
// stop. A failure (a full disk, an unreachable witness) is reported once per distinct message and on
// /metrics, never retried faster than the interval.

/** What a publisher reads of a store: the log's size, and the publication of its signed head (null: nothing published). */
export interface HeadSource {
  /** the store was closed: nothing to publish from it */
  closed?(): boolean;
  size(): Promise<number>;
  publish(target: string): Promise<{ size: number } | null>;
}

export class HeadPublisher {
  private timer: NodeJS.Timeout | null = null;
  /** the size last published, and the last failure (null when the last attempt succeeded) */
  published = 0;
  error: string | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: HeadSource,
    readonly target: string,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Publishes when the log grew since the last publication (one at a time). */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        if (this.source.closed?.() || (await this.source.size()) === this.published) return;
        const h = await this.source.publish(this.target);
        if (h) this.published = h.size;
        this.error = null;
      } catch (e) {
        const message = (e as Error).message;
        if (message !== this.error) process.stderr.write(`kyso: the log head could not be published to ${this.target}: ${message}\n`);
        this.error = message;
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.tick();
  }

  metrics(): string {
    return `# HELP kyso_log_head_published_size Entries covered by the last published signed log head.\n# TYPE kyso_log_head_published_size gauge\nkyso_log_head_published_size ${this.published}\n# HELP kyso_log_head_publish_failing 1 when the last publication of the log head failed.\n# TYPE kyso_log_head_publish_failing gauge\nkyso_log_head_publish_failing ${this.error ? 1 : 0}\n`;
  }
}
