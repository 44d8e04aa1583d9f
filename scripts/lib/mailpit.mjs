// Mailpit, the SMTP server (with a web UI and an HTTP API to read what it caught) of the dev stack and the
// stack test, built once with `go install` (go.mjs) into the cache: MailHog, which the seed names, is
// unmaintained.
import { goInstalled } from './go.mjs';

export const MAILPIT_VERSION = 'v1.33.1';

/** The path of the pinned Mailpit binary, built first when missing (minutes). */
export function mailpitBin(version = MAILPIT_VERSION) {
  return goInstalled({
    pkg: 'github.com/axllent/mailpit',
    version,
    name: `mailpit-${version}`,
    minGo: [1, 26],
  });
}
