// The command line of `npm run bench:stack`.
import { parseArgs } from 'node:util';
import type { Variant } from '../stack-harness.js';

export interface BenchOptions {
  variants: Variant[];
  /** Build the API image with --no-cache (timed) before the cold start; false reuses zakpos/api as it is. */
  build: boolean;
  registers: number;
  loadSeconds: number;
  /** Sales per second of all registers together (nginx allows 20 requests/s per client address). */
  rate: number;
  settleSeconds: number;
  idleSeconds: number;
  rounds: number;
  /** HEALTHCHECK_INTERVAL for the stack; empty = each service's own, as the templates ship. */
  healthcheckInterval: string;
}

export const USAGE = `npm run bench:stack -- [options]
  --variants test,prod,dev    the variants to measure, in this order (default: all three)
  --registers 8               registers selling at once during the checkout load
  --load-seconds 20           how long the checkout load lasts
  --rate 16                   sales per second of all registers together (nginx: 20 requests/s per address)
  --settle-seconds 20         idle time after the last start before memory is read
  --idle-seconds 15           the idle CPU window
  --rounds 200                round trips per service in the latency probe
  --healthcheck-interval ''   every health check's interval (e.g. 3s); empty = the Compose files' own
  --no-build                  no --no-cache build: reuse the zakpos/api image the stack tier built`;

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number, not ${JSON.stringify(text)}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      variants: { type: 'string', default: 'test,prod,dev' },
      registers: { type: 'string', default: '8' },
      'load-seconds': { type: 'string', default: '20' },
      rate: { type: 'string', default: '16' },
      'settle-seconds': { type: 'string', default: '20' },
      'idle-seconds': { type: 'string', default: '15' },
      rounds: { type: 'string', default: '200' },
      'healthcheck-interval': { type: 'string', default: '' },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const variants = values.variants.split(',').filter(Boolean);
  for (const v of variants)
    if (!['test', 'prod', 'dev'].includes(v)) throw new Error(`unknown variant ${v}: test, prod or dev`);
  return {
    variants: variants as Variant[],
    build: !values['no-build'],
    registers: Math.round(positive('registers', values.registers)),
    loadSeconds: positive('load-seconds', values['load-seconds']),
    rate: positive('rate', values.rate),
    settleSeconds: positive('settle-seconds', values['settle-seconds']),
    idleSeconds: positive('idle-seconds', values['idle-seconds']),
    rounds: Math.round(positive('rounds', values.rounds)),
    healthcheckInterval: values['healthcheck-interval'],
  };
}
