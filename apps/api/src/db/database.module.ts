import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ENV, type Env } from '../config/env.js';
import { Database } from './database.js';

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [ENV],
      useFactory: (env: Env) =>
        new Database(env.DATABASE_URL, {
          poolMax: env.DB_POOL_MAX,
          onConnectionError: (err) => new Logger('Database').warn(`database connection lost: ${err.message}`),
        }),
    },
  ],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
