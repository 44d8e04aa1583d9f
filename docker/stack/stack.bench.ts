// `npm run bench:stack`: the Compose stack's success criteria measured on this machine's Docker engine, for
// each variant: start-up times (cold and warm), memory and CPU per service at idle and under checkout load,
// the api's round trips to PostgreSQL, Redis and Kafka, each printed beside its targets (docker/stack/bench).
// Runs as `npx tsx docker/stack/stack.bench.ts [options]` once @zakpos/contracts is built (as the launcher
// does).
import { cpus, totalmem } from 'node:os';
import { COMPOSE_VERSION, linkComposePlugin } from '../../scripts/lib/compose.mjs';
import { docker, ensureDockerEngine } from '../../scripts/lib/docker-engine.mjs';
import { ensureImage, stackImages } from '../stand-ins/stand-ins.mjs';
import { parseOptions, USAGE } from './bench/options.js';
import { summaryReport, variantReport } from './bench/report.js';
import { benchVariant, pendingCleanups, type VariantResult } from './bench/variant-bench.js';
import { root } from './stack-harness.js';

function onSignal(signal: NodeJS.Signals) {
  console.error(`\n› ${signal}: removing the stacks under measurement`);
  for (const cleanup of [...pendingCleanups]) cleanup();
  process.exit(130);
}

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // What the stack tier's global setup does first (docker/stack/stack.global-setup.ts).
  ensureDockerEngine();
  linkComposePlugin();
  for (const image of stackImages(root)) console.error(`› stack image ${image}: ${ensureImage(image)}`);

  const started = performance.now();
  const engine = docker(['version', '--format', '{{.Server.Version}}']).trim();
  const machine = `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
  const intervals = opts.healthcheckInterval
    ? `HEALTHCHECK_INTERVAL=${opts.healthcheckInterval}`
    : 'as the Compose files ship them (test overlay 3 s; prod and dev 5 s for what a start waits on)';
  const header = [
    `ZakPOS stack benchmark: ${machine}, Docker engine ${engine}, Compose v${COMPOSE_VERSION}`,
    `  health check intervals ${intervals}`,
    `  idle: ${opts.settleSeconds} s settle, ${opts.idleSeconds} s CPU window; ` +
      `load: ${opts.registers} registers × ${opts.loadSeconds} s at ${opts.rate} sales/s; ` +
      `latency: ${opts.rounds} round trips per service`,
  ].join('\n');
  console.log(header);
  const results: VariantResult[] = [];
  for (const variant of opts.variants) {
    const result = await benchVariant(variant, opts);
    results.push(result);
    console.log(`\n${variantReport(result, opts)}`);
  }
  console.log(`\n${summaryReport(results)}`);
  console.log(`\nwall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (results.some((r) => r.error)) process.exit(1);
}

await main();
