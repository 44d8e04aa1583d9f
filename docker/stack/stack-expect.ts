// What every variant's first stack test asserts once `up --wait` returned.
import { expect } from 'vitest';
import type { Stack } from './stack-harness.js';

/** Each running service has one container and it is healthy; each one-shot exited 0. */
export function expectUpAndDone(stack: Stack, running: string[]) {
  for (const service of running) {
    const [id, ...more] = stack.containers(service);
    expect(more, service).toEqual([]);
    expect(stack.inspect(id!).State.Health?.Status, service).toBe('healthy');
  }
  for (const job of ['migrate', 'kafka-init', 'minio-volume']) {
    const state = stack.inspect(stack.containers(job)[0]!).State as { Status: string; ExitCode?: number };
    expect([state.Status, state.ExitCode], job).toEqual(['exited', 0]);
  }
}
