import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { schemathesisCommand } from '../../../../scripts/lib/schemathesis.mjs';

/**
 * The fuzz bounds, which keep the whole fuzz to a few minutes on a loaded 2-core machine, and its seed: a new
 * one each run finds new cases; it is printed, and FUZZ_SEED replays a run.
 */
export const fuzzSettings = {
  maxExamples: Number(process.env.FUZZ_MAX_EXAMPLES ?? 40),
  maxSecondsPerRole: Number(process.env.FUZZ_MAX_SECONDS ?? 90),
  seed: Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31)),
};

export interface FuzzSummary {
  exitCode: number | null;
  /** The CLI's own output: its failure section holds a curl command reproducing each failure. */
  output: string;
  /** `GET /stores/{id}`: the operations that got at least one case. */
  operations: string[];
  cases: number;
  checks: number;
  /** One line per distinct failure: `ST101 QUERY /stores: Server error …`. */
  failures: string[];
}

interface CheckEvent {
  name: string;
  status: string;
  failure_info?: { failure: { code: string; operation: string; title: string; message: string } };
}
interface ScenarioFinished {
  status: string;
  recorder: { label: string; cases?: Record<string, unknown>; checks?: Record<string, CheckEvent[]> };
}

/**
 * Runs `schemathesis --config-file <config> run <args>` with an ndjson event report at `eventsPath`, and counts
 * what it did from the events: operations with at least one case, cases, checks, and the distinct failures.
 */
export async function runSchemathesis(
  config: string,
  args: string[],
  eventsPath: string,
): Promise<FuzzSummary> {
  const st = schemathesisCommand();
  const { exitCode, output } = await new Promise<{ exitCode: number | null; output: string }>(
    (resolve, reject) => {
      // Asynchronous on purpose: the API answering the fuzzer may run in this very process.
      const child = spawn(
        st.command,
        [
          ...st.args,
          '--config-file',
          config,
          'run',
          ...args,
          '--report',
          'ndjson',
          '--report-ndjson-path',
          eventsPath,
        ],
        {
          // In the run's folder: schemathesis records crashes under .schemathesis/ of its working directory.
          cwd: dirname(eventsPath),
          env: { ...process.env, ...st.env, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ exitCode: code, output: out }));
    },
  );

  const operations = new Set<string>();
  const failures = new Set<string>();
  let cases = 0;
  let checks = 0;
  const lines = createInterface({ input: createReadStream(eventsPath, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.startsWith('{"ScenarioFinished"')) continue;
    const scenario = (JSON.parse(line) as { ScenarioFinished: ScenarioFinished }).ScenarioFinished;
    const caseCount = Object.keys(scenario.recorder.cases ?? {}).length;
    if (caseCount === 0) continue;
    operations.add(scenario.recorder.label);
    cases += caseCount;
    for (const list of Object.values(scenario.recorder.checks ?? {})) {
      for (const check of list) {
        checks += 1;
        const failure = check.failure_info?.failure;
        if (failure)
          failures.add(`${failure.code} ${failure.operation}: ${failure.title}: ${failure.message}`);
      }
    }
  }
  return {
    exitCode,
    output,
    operations: [...operations].sort(),
    cases,
    checks,
    failures: [...failures].sort(),
  };
}
