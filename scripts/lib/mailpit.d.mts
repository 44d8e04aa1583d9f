export const MAILPIT_VERSION: string;
/** The path of the pinned Mailpit binary, built first when missing. */
export function mailpitBin(version?: string): string;
