import { Injectable } from '@nestjs/common';

/**
 * Whether the process has begun to shut down (main.ts sets it on SIGTERM). While it drains, readiness fails and
 * every response closes its connection (app.factory.ts), so a proxy stops sending here and never reuses a
 * kept-alive connection just as the server closes it.
 */
@Injectable()
export class ShutdownState {
  draining = false;
}
