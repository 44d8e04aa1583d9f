/** How often a running export's row count is written and pushed. */
export const EXPORT_PROGRESS_EVERY_MS = 250;

export interface ExportCount {
  rows: number;
  total: number | null;
}

/**
 * A running export's progress, published while its rows are read in a unit of work of their own: every
 * EXPORT_PROGRESS_EVERY_MS the count, when it moved, goes to `publish` (which writes it in its own short
 * unit, seen by a poll at once, and pushes it). Create it outside the reading unit: the timer runs in the
 * context it was made in, and a unit cannot be opened inside another.
 */
export class ExportProgress {
  rows = 0;
  total: number | null = null;
  private readonly timer: NodeJS.Timeout;
  private inFlight: Promise<void> | null = null;
  private published = '';

  constructor(
    private readonly publish: (count: ExportCount) => Promise<void>,
    everyMs = EXPORT_PROGRESS_EVERY_MS,
  ) {
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  /** Stops publishing; resolves once a publish under way has ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private tick(): void {
    const count = { rows: this.rows, total: this.total };
    const key = `${count.rows}/${count.total}`;
    if (this.inFlight || key === this.published) return;
    this.published = key;
    // Progress is best effort: a failed write is overtaken by the next one, or by the export's end.
    this.inFlight = this.publish(count)
      .catch(() => {})
      .finally(() => (this.inFlight = null));
  }
}
