// PromQL as the monitoring tests read it: which metrics and labels an expression refers to, the expressions of
// a rule file and of a Grafana dashboard. Shared by the config tests (docker/prometheus) and the stack tier's
// live Prometheus check (docker/stack).

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** What a PromQL expression refers to: metric names, label matchers per metric, grouping labels. */
export function parsePromQL(expr: string) {
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const matchers: { metric: string; label: string }[] = [];
  for (const m of noStrings.matchAll(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g)) {
    for (const l of m[2]!.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) matchers.push({ metric: m[1]!, label: l[1]! });
  }
  const grouping: string[] = [];
  const bare = noStrings
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, labels: string) => {
      grouping.push(
        ...labels
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      );
      return ' ';
    });
  const metrics: string[] = [];
  for (const m of bare.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (m[2] === undefined && !KEYWORDS.has(m[1]!.toLowerCase())) metrics.push(m[1]!);
  }
  return { metrics, matchers, grouping };
}

/** The `expr:` values of a rule file (plain scalars and `|` blocks), without a YAML library. */
export function ruleExprs(yaml: string): string[] {
  const exprs: string[] = [];
  const lines = yaml.split('\n');
  lines.forEach((line, i) => {
    const m = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!m) return;
    if (m[2] !== '|') return void exprs.push(m[2]!);
    const block: string[] = [];
    for (
      let j = i + 1;
      j < lines.length && (lines[j]!.trim() === '' || lines[j]!.search(/\S/) > m[1]!.length);
      j++
    ) {
      block.push(lines[j]!.trim());
    }
    exprs.push(block.join(' '));
  });
  return exprs;
}

/** The query of every panel target of a Grafana dashboard (its JSON). */
export function dashboardExprs(json: string): string[] {
  const dashboard = JSON.parse(json) as { panels?: { targets?: { expr?: string }[] }[] };
  return (dashboard.panels ?? []).flatMap((p) => (p.targets ?? []).flatMap((t) => (t.expr ? [t.expr] : [])));
}
