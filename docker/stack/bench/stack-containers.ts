// The running containers of a stack with the service each belongs to and its main process on the host.
import { docker } from '../../../scripts/lib/docker-engine.mjs';
import type { Stack } from '../stack-harness.js';

export interface RunningContainer {
  id: string;
  service: string;
  /** The container's init process as the host sees it (0 when the engine's PID namespace is not ours). */
  pid: number;
}

interface Inspected {
  Id: string;
  State: { Running: boolean; Pid: number };
  Config: { Labels: Record<string, string> };
}

/** Every running container of the stack: the one-shots that exited are not part of its footprint. */
export function runningContainers(stack: Stack): RunningContainer[] {
  const ids = stack.composeOk(['ps', '-q']).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  return (JSON.parse(docker(['inspect', ...ids])) as Inspected[])
    .filter((c) => c.State.Running)
    .map((c) => ({
      id: c.Id,
      service: c.Config.Labels['com.docker.compose.service'] ?? '?',
      pid: c.State.Pid,
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}
