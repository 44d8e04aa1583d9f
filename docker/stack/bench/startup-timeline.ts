// Where a start-up's time goes: for each service, when its container started and when it was ready (its first
// passing health check, or a one-shot's successful exit), in seconds after the `up` began. Read from
// `docker inspect` right after `up --wait` returns, while the health log (Docker keeps 5 probes) still holds
// the first passing one.
import { docker } from '../../../scripts/lib/docker-engine.mjs';
import type { Stack } from '../stack-harness.js';

export interface ServiceStart {
  service: string;
  started?: number;
  ready?: number;
}

interface Inspected {
  Config: { Labels: Record<string, string> };
  State: {
    StartedAt: string;
    FinishedAt: string;
    Running: boolean;
    ExitCode: number;
    Health?: { Log: { Start: string; End: string; ExitCode: number }[] | null };
  };
}

export function startupTimeline(stack: Stack, since: number): ServiceStart[] {
  const ids = stack.composeOk(['ps', '-a', '-q']).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const after = (time: string) => {
    const t = Date.parse(time);
    return t >= since ? (t - since) / 1000 : undefined;
  };
  return (JSON.parse(docker(['inspect', ...ids])) as Inspected[])
    .map((c) => {
      const probes = (c.State.Health?.Log ?? []).filter(
        (p) => p.ExitCode === 0 && Date.parse(p.Start) >= since,
      );
      const done = !c.State.Running && c.State.ExitCode === 0 ? after(c.State.FinishedAt) : undefined;
      return {
        service: c.Config.Labels['com.docker.compose.service'] ?? '?',
        started: after(c.State.StartedAt),
        // A one-shot from the API image inherits its HEALTHCHECK: an exited container is judged by its exit.
        ready: c.State.Running ? after(probes[0]?.End ?? '') : done,
      };
    })
    .sort((a, b) => (a.started ?? Infinity) - (b.started ?? Infinity));
}
