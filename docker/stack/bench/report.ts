// What `npm run bench:stack` prints: each variant's figures beside the targets, then a summary of all.
import { STARTUP_TARGETS, MEMORY_TARGETS, type Target, verdict } from './targets.js';
import type { LatencySummary } from './percentile.js';
import { textTable } from './text-table.js';
import type { VariantResult } from './variant-bench.js';

const MiB = 2 ** 20;
const s = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(1));
const mib = (v: number | undefined) => (v === undefined ? 'n/a' : (v / MiB).toFixed(1));
const pct = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(2));
const ms = (v: number) => v.toFixed(3);
const gb = (t: Target) => `${t.label} (${(t.limit / MiB).toFixed(0)} MiB)`;
const both = (v: number | undefined, targets: { design: Target; ours: Target }) =>
  `${verdict(v, targets.design)} / ${verdict(v, targets.ours)}`;

function startupRows(r: VariantResult): [string, number | undefined, boolean][] {
  const { build, cold, afterStop, afterDown } = r.startup;
  return [
    ['API image: docker compose build --no-cache', build, false],
    ['cold: up -d --wait (new project, empty volumes)', cold, true],
    ['cold: build + up', build !== undefined && cold !== undefined ? build + cold : undefined, true],
    ['warm: stop, then up -d --wait', afterStop, true],
    ['warm: down (volumes kept), then up -d --wait', afterDown, true],
  ];
}

export function variantReport(r: VariantResult, opts: { registers: number; rate: number }): string {
  const out = [`━━ ${r.variant} (project ${r.project}) ━━`, ...r.context.map((c) => `  ${c}`), ''];
  const { design, ours } = STARTUP_TARGETS;
  out.push(
    textTable([
      ['start-up, until every service is healthy', 'seconds', `design ${design.label}`, `ours ${ours.label}`],
      ...startupRows(r).map(([label, v, judged]) => [
        label,
        v === undefined && label.startsWith('API')
          ? `n/a${r.variant === 'dev' ? ' (source mount)' : ''}`
          : s(v),
        judged ? verdict(v, design) : '',
        judged ? verdict(v, ours) : '',
      ]),
    ]),
  );
  if (r.timelines.length > 0) {
    const services = [...new Set(r.timelines.flatMap((t) => t.services.map((x) => x.service)))];
    const at = (v: number | undefined) => (v === undefined ? '?' : v.toFixed(1));
    out.push(
      '',
      textTable(
        [
          [
            'where it goes: started → ready (healthy, or one-shot done), s after up',
            ...r.timelines.map((t) => t.label),
          ],
          ...services.map((service) => [
            `  ${service}`,
            ...r.timelines.map((t) => {
              const x = t.services.find((y) => y.service === service);
              return x ? `${at(x.started)} → ${at(x.ready)}` : '';
            }),
          ]),
        ],
        { alignNumbers: false },
      ),
    );
  }
  if (r.services && r.totals) {
    out.push('', `  memory and CPU: ${r.usageSource}`);
    out.push(
      textTable([
        ['service', 'idle MiB', 'load peak MiB', 'idle CPU % core', 'load CPU % core'],
        ...r.services.map((f) => [
          f.service,
          mib(f.idleMemory),
          mib(f.loadMemory),
          pct(f.idleCpu),
          pct(f.loadCpu),
        ]),
        [
          'total',
          mib(r.totals.idleMemory),
          mib(r.totals.loadMemory),
          pct(r.totals.idleCpu),
          pct(r.totals.loadCpu),
        ],
      ]),
    );
    out.push(
      '',
      textTable([
        ['memory total', 'MiB', `design ${gb(MEMORY_TARGETS.design)}`, `ours ${gb(MEMORY_TARGETS.ours)}`],
        ...(
          [
            ['idle', r.totals.idleMemory],
            ['under load (largest sampled total)', r.totals.loadMemory],
          ] as const
        ).map(([label, v]) => [
          label,
          mib(v),
          verdict(v, MEMORY_TARGETS.design),
          verdict(v, MEMORY_TARGETS.ours),
        ]),
      ]),
    );
  }
  if (r.load) {
    const failed = Object.entries(r.load.failed);
    out.push(
      '',
      `  checkout load: ${r.load.registers} registers for ${r.load.seconds} s through nginx over HTTPS ` +
        `(kept-alive connections), paced to ${opts.rate} sales/s in all`,
      `    sold ${r.load.sold} (${(r.load.sold / r.load.seconds).toFixed(1)}/s); failed ${
        failed.length === 0 ? 0 : failed.map(([why, n]) => `${n} × ${why}`).join(', ')
      }; checkout p50 ${r.load.checkout.p50.toFixed(1)} ms, p99 ${r.load.checkout.p99.toFixed(1)} ms`,
    );
  }
  if (r.latency) {
    const { postgres, redis, kafka } = r.latency;
    out.push(
      '',
      textTable([
        [`round trips from the api container (N=${postgres.n}, 10 warm-up first)`, 'p50 ms', 'p99 ms'],
        ["postgres: select 1 (pg client, the app's connection string)", ms(postgres.p50), ms(postgres.p99)],
        ['redis: PING in RESP over raw TCP, after AUTH', ms(redis.p50), ms(redis.p99)],
        ['kafka: raw ApiVersions v0 request over TCP to kafka:9092', ms(kafka.p50), ms(kafka.p99)],
      ]),
    );
  }
  if (r.error) out.push('', `  FAILED: ${r.error.split('\n').slice(0, 30).join('\n  ')}`);
  return out.join('\n');
}

export function summaryReport(results: VariantResult[]): string {
  const judged =
    (f: (v: number) => string, t?: { design: Target; ours: Target }) => (v: number | undefined) =>
      v === undefined ? 'n/a' : t ? `${f(v)}  ${both(v, t)}` : f(v);
  const p50p99 = (l: LatencySummary | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p99)}` : 'n/a');
  const { design, ours } = STARTUP_TARGETS;
  const time = judged(s, STARTUP_TARGETS);
  const memory = judged(mib, MEMORY_TARGETS);
  const row = (label: string, pick: (r: VariantResult) => string) => [label, ...results.map(pick)];
  return [
    `━━ summary: verdicts design / ours (start-up ${design.label} / ${ours.label}, memory ` +
      `${MEMORY_TARGETS.design.label} / ${MEMORY_TARGETS.ours.label}) ━━`,
    textTable(
      [
        ['', ...results.map((r) => r.variant + (r.error ? ' (FAILED)' : ''))],
        row('API image build --no-cache, s', (r) => judged(s)(r.startup.build)),
        row('cold up -d --wait, s', (r) => time(r.startup.cold)),
        row('warm: stop, up -d --wait, s', (r) => time(r.startup.afterStop)),
        row('warm: down, up -d --wait, s', (r) => time(r.startup.afterDown)),
        row('memory total idle, MiB', (r) => memory(r.totals?.idleMemory)),
        row('memory total under load, MiB', (r) => memory(r.totals?.loadMemory)),
        row('CPU total idle, % of a core', (r) => judged(pct)(r.totals?.idleCpu)),
        row('api → postgres p50 / p99, ms', (r) => p50p99(r.latency?.postgres)),
        row('api → redis p50 / p99, ms', (r) => p50p99(r.latency?.redis)),
        row('api → kafka p50 / p99, ms', (r) => p50p99(r.latency?.kafka)),
      ],
      { alignNumbers: false },
    ),
  ].join('\n');
}
