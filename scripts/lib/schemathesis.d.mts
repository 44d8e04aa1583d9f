export const SCHEMATHESIS_VERSION: string;
/** How to run the pinned schemathesis CLI, installed first when missing. Throws when it cannot be. */
export function schemathesisCommand(version?: string): {
  command: string;
  args: string[];
  env: Record<string, string>;
};
