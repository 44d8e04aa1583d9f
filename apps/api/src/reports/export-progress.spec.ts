import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ExportCount, ExportProgress } from './export-progress.js';

describe('ExportProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('publishes the count when it moved, one publish at a time, and waits for the last one on stop', async () => {
    const published: ExportCount[] = [];
    let release: () => void = () => {};
    const progress = new ExportProgress((count) => {
      published.push(count);
      return new Promise<void>((r) => (release = r));
    }, 100);
    progress.total = 5000;
    progress.rows = 1000;
    await vi.advanceTimersByTimeAsync(100);
    expect(published).toEqual([{ rows: 1000, total: 5000 }]);
    // The first publish is still under way: the next ticks wait for it.
    progress.rows = 2000;
    await vi.advanceTimersByTimeAsync(300);
    expect(published).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(published.at(-1)).toEqual({ rows: 2000, total: 5000 });
    release();
    // Nothing moved: nothing published.
    await vi.advanceTimersByTimeAsync(500);
    expect(published).toHaveLength(2);

    progress.rows = 3000;
    await vi.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = progress.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    progress.rows = 4000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(published.map((p) => p.rows)).toEqual([1000, 2000, 3000]);
  });

  it('keeps going after a failed publish', async () => {
    const seen: number[] = [];
    const progress = new ExportProgress(async (count) => {
      seen.push(count.rows);
      if (count.rows === 1) throw new Error('database away');
    }, 100);
    progress.rows = 1;
    await vi.advanceTimersByTimeAsync(100);
    progress.rows = 2;
    await vi.advanceTimersByTimeAsync(100);
    await progress.stop();
    expect(seen).toEqual([1, 2]);
  });
});
