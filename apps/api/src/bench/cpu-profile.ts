import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` (node --cpu-prof) read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/**
 * Self time per function and per package of the `.cpuprofile` files in a folder: where the profiled
 * process spent its CPU, excluding what the functions it called spent. Shares are of the busy time
 * (idle left out).
 */
export async function summarizeCpuProfiles(
  dir: string,
): Promise<{ functions: SelfTime[]; packages: SelfTime[] }> {
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.cpuprofile')) continue;
    const profile = JSON.parse(await readFile(join(dir, name), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id);
      const us = profile.timeDeltas[i] ?? 0;
      if (!frame || frame.functionName === '(idle)') return; // waiting, not working
      const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
      const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
      const pkg = packageOf(frame.url, frame.functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    });
  }
  const total = [...byFunction.values()].reduce((a, b) => a + b, 0) || 1;
  const ranked = (m: Map<string, number>) =>
    [...m].map(([name, us]) => ({ name, ms: us / 1000, share: us / total })).sort((a, b) => b.ms - a.ms);
  return { functions: ranked(byFunction), packages: ranked(byPackage) };
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const src = url.indexOf('/apps/api/dist/');
  return src >= 0 ? url.slice(src + '/apps/api/dist/'.length) : url.replace(/^file:\/\//, '');
}

/** `pino`, `@nestjs/core`, `zakpos` (our code), `node:` (Node's own JS), or V8's `(garbage collector)` etc. */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm < 0) return url.includes('/apps/api/dist/') ? 'zakpos api' : url;
  const parts = url.slice(nm + '/node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}
