export const HADOLINT_VERSION: string;
/** The path of the pinned hadolint binary, installed first when missing. Throws when it cannot be. */
export function hadolintBin(version?: string): string;
