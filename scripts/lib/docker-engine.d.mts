export const DOCKER: string;
export function docker(
  args: string[],
  options?: { timeoutMs?: number; input?: string; env?: Record<string, string>; cwd?: string },
): string;
export function ensureDockerEngine(options?: { timeoutMs?: number }): void;
export function imageLabels(name: string): Record<string, string> | undefined;
