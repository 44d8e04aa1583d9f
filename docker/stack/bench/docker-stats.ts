// `docker stats --no-stream --format '{{json .}}'`: what the bench reads when it cannot see the containers'
// cgroups itself (an engine in another PID namespace: a run inside a container handed the host's socket).

export interface StatsLine {
  id: string;
  memoryBytes: number;
  /** CPU over the sampling interval of `docker stats` (about a second), % of one core. */
  cpuPercent: number;
}

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/** A size as docker prints it ("12.5MiB", "1.2GB", "0B") in bytes. */
export function parseSize(text: string): number {
  const m = /^\s*([\d.]+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(m?.[2] || 'B').toUpperCase()];
  if (!m || unit === undefined) throw new Error(`not a size: ${JSON.stringify(text)}`);
  return Number(m[1]) * unit;
}

/** One line of the JSON format: MemUsage is "<used> / <limit>", CPUPerc "1.23%". */
export function parseStatsLine(line: string): StatsLine {
  const json = JSON.parse(line) as { ID: string; MemUsage: string; CPUPerc: string };
  return {
    id: json.ID,
    memoryBytes: parseSize(json.MemUsage.split('/')[0]!),
    cpuPercent: Number(json.CPUPerc.replace('%', '')),
  };
}
