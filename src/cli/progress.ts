// A progress bar for long work: redrawn in place on a terminal, a line every tenth otherwise (logs, CI).
export class Progress {
  private n = 0;
  private lastTenth = -1;
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly label: string,
    private readonly total: number,
  ) {}

  tick(): void {
    this.set(this.n + 1);
  }

  set(n: number): void {
    this.n = Math.min(n, this.total);
    const width = 30;
    const filled = this.total ? Math.round((this.n / this.total) * width) : width;
    const line = `${this.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.n}/${this.total}`;
    if ((this.out as { isTTY?: boolean }).isTTY) this.out.write(`\r${line}`);
    else {
      const tenth = this.total ? Math.floor((this.n / this.total) * 10) : 10;
      if (tenth !== this.lastTenth) {
        this.lastTenth = tenth;
        this.out.write(`${line}\n`);
      }
    }
  }

  done(): void {
    if ((this.out as { isTTY?: boolean }).isTTY) this.out.write("\n");
  }
}
