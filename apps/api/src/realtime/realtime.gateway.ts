import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { type DefaultEventsMap, Server, type Socket } from 'socket.io';
import { TokenService } from '../auth/token.service.js';
import { ENV, type Env } from '../config/env.js';
import { Database } from '../db/database.js';
import { REDIS, type RedisOrNone } from '../redis/redis.module.js';
import { reportRejections } from './redis-fail-soft.js';
import { storeRoom, userRoom } from './rooms.js';
import { authenticate, refusalOf, SocketRefusal, type SocketSession } from './socket-auth.js';
import type { Broadcast } from './broadcast.js';

export const SOCKET_PATH = '/socket.io';

/** Sent to a socket just before it is disconnected because its access token expired. */
export const AUTH_EXPIRED_EVENT = 'auth.expired';

type Events = DefaultEventsMap;
type RealtimeServer = Server<Events, Events, Events, SocketSession>;
type RealtimeSocket = Socket<Events, Events, Events, SocketSession>;

/**
 * The Socket.IO server on the API's own HTTP server. A socket is admitted only with a valid access token
 * (socket-auth.ts), joins the rooms its token gives it (rooms.ts; a client never picks a room) and is
 * disconnected when the token expires, after an `auth.expired` event: the client reconnects with a fresh
 * token. With REDIS_URL, the Redis adapter carries every broadcast to the other replicas.
 */
@Injectable()
export class RealtimeGateway
  implements Broadcast, OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Realtime');
  private io: RealtimeServer | undefined;
  private adapterClients: Redis[] = [];
  private closing = false;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(HttpAdapterHost) private readonly http: HttpAdapterHost,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(Database) private readonly db: Database,
    @Inject(REDIS) private readonly redis: RedisOrNone,
  ) {}

  onModuleInit(): void {
    const io: RealtimeServer = new Server(this.http.httpAdapter.getHttpServer(), {
      path: SOCKET_PATH,
      serveClient: false,
      cors: { origin: this.env.CORS_ORIGINS, credentials: false },
      // Once shutting down, no new connection may hold the HTTP server's close up.
      allowRequest: (_req, answer) => answer(this.closing ? 'shutting down' : null, !this.closing),
    });
    if (this.redis) io.adapter(createAdapter(...this.adapterPubSub(this.redis)));
    io.use((socket, next) => {
      authenticate(this.tokens, this.db, (socket.handshake.auth as { token?: unknown }).token).then(
        (session) => {
          socket.data = session;
          next();
        },
        (err: unknown) => {
          const refusal = refusalOf(err);
          if (!refusal) this.logger.error(`socket authentication failed: ${(err as Error).message}`);
          next(refusal ?? new SocketRefusal('INTERNAL', 'the session could not be checked; try again'));
        },
      );
    });
    io.on('connection', (socket) => this.admit(socket));
    this.io = io;
  }

  toStore(tenantId: string, storeId: string, event: string, data: unknown): void {
    this.toRoom(storeRoom(tenantId, storeId), event, data);
  }

  toUser(tenantId: string, userId: string, event: string, data: unknown): void {
    this.toRoom(userRoom(tenantId, userId), event, data);
  }

  private toRoom(room: string, event: string, data: unknown): void {
    try {
      this.io?.to(room).emit(event, data);
    } catch (err) {
      this.logger.warn(`realtime ${event} not pushed: ${(err as Error).message}`);
    }
  }

  /**
   * Before the HTTP server closes: end every connection, or they would keep it open. Closed as a lost
   * transport, not a server disconnect, so clients reconnect by themselves (to another replica).
   */
  beforeApplicationShutdown(): void {
    this.closing = true;
    this.io?.engine.close();
  }

  onApplicationShutdown(): void {
    for (const client of this.adapterClients) client.disconnect();
  }

  private admit(socket: RealtimeSocket): void {
    const session = socket.data;
    void socket.join(session.rooms);
    const expiry = setTimeout(
      () => {
        socket.emit(AUTH_EXPIRED_EVENT, { code: 'TOKEN_EXPIRED', message: 'access token expired' });
        socket.disconnect(true);
      },
      Math.max(0, session.expiresAt - Date.now()),
    );
    socket.once('disconnect', () => clearTimeout(expiry));
  }

  /**
   * The adapter's clients, duplicated from the process's. The subscriber queues its commands while Redis is
   * away and resubscribes when it is back (ioredis autoResubscribe); the publisher fails fast, so a broadcast
   * made while Redis is down reaches this replica's sockets only.
   */
  private adapterPubSub(redis: Redis): [Redis, Redis] {
    const pub = redis.duplicate({ connectionName: 'zakpos-api-io-pub' });
    const sub = redis.duplicate({
      connectionName: 'zakpos-api-io-sub',
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    for (const client of [pub, sub]) {
      let last = '';
      const report = (err: Error) => {
        // One line per distinct failure, not one per reconnect attempt or broadcast.
        if (err.message !== last) this.logger.warn(`socket.io redis adapter: ${err.message}`);
        last = err.message;
      };
      client.on('error', report);
      client.on('ready', () => (last = ''));
      reportRejections(client, ['publish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'], report);
    }
    this.adapterClients = [pub, sub];
    return [pub, sub];
  }
}
