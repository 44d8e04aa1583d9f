// The embedded default (`npm start`): a real PostgreSQL from npm binaries in a local data folder,
// migrated and seeded with a demo tenant once, then the API. No Docker, no system database.
import 'reflect-metadata';
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from './app.factory.js';
import { freePort } from './common/net/free-port.js';
import { EnvError, loadEnv } from './config/env.js';
import { bootstrapDatabase } from './db/bootstrap.js';
import { roleUrls } from './db/connection-urls.js';
import { Database } from './db/database.js';
import { startEmbeddedPostgres } from './db/embedded-postgres.js';
import { migrate } from './db/migrator.js';
import { readOrCreateSecret } from './embedded-secrets.js';
import { seedDemo } from './seed/demo-seed.js';
import { seedDemoTrading } from './seed/demo-trading.js';

const { values } = parseArgs({ options: { data: { type: 'string', default: '.data' } } });
const dataDir = resolve(values.data!);
// The server runs as the postgres user, which must reach its folder inside; secrets stay private.
mkdirSync(dataDir, { recursive: true });
chmodSync(dataDir, 0o755);
const secretsDir = resolve(dataDir, 'secrets');
const secret = (name: string) => readOrCreateSecret(secretsDir, name);

try {
  const pgPort = await freePort();
  const postgres = await startEmbeddedPostgres({
    dataDir: resolve(dataDir, 'postgres'),
    port: pgPort,
    superuserPassword: secret('postgres-superuser'),
  });
  const roles = { ownerPassword: secret('db-owner'), appPassword: secret('db-app') };
  await bootstrapDatabase({ superuserUrl: postgres.superuserUrl(), database: 'zakpos', ...roles });
  const { ownerUrl, appUrl } = roleUrls({ host: '127.0.0.1', port: pgPort, database: 'zakpos', ...roles });
  const { applied } = await migrate(ownerUrl);
  if (applied.length) console.log(`› migrations applied: ${applied.join(', ')}`);

  const env = loadEnv({
    DATABASE_URL: appUrl,
    MIGRATION_DATABASE_URL: ownerUrl,
    JWT_SECRET: readOrCreateSecret(secretsDir, 'jwt', () => randomBytes(48).toString('base64url')),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    EXPORTS_DIR: resolve(dataDir, 'exports'),
  });

  const demoPasswords = {
    owner: secret('demo-owner-password'),
    manager: secret('demo-manager-password'),
    cashier: secret('demo-cashier-password'),
  };
  const cashierPin = readOrCreateSecret(secretsDir, 'demo-cashier-pin', () =>
    String(randomInt(100000, 1000000)),
  );
  const seedDb = new Database(appUrl, { poolMax: 2, applicationName: 'zakpos-seed' });
  const demo = await seedDemo(seedDb, { passwords: demoPasswords, cashierPin });
  await seedDb.close();

  const app = await createApp(env);
  // A new demo tenant trades first: three closed days and today's open shift, through the services.
  if (demo.created) await seedDemoTrading(app, demo);
  await app.listen({ port: env.PORT, host: env.HOST });
  const base = `http://localhost:${env.PORT}`;
  console.log(`
ZakPOS is running.
  API       ${base}
  API docs  ${base}/docs
  Health    ${base}/health/ready
  Data      ${dataDir} (delete it to start afresh)

Demo logins (tenant "${demo.tenantName}"):
  owner    ${demo.logins.owner.email}  /  ${demoPasswords.owner}
  manager  ${demo.logins.manager.email}  /  ${demoPasswords.manager}
  cashier  ${demo.logins.cashier.email}  /  ${demoPasswords.cashier}
  cashier PIN login: POST /auth/pin {"tenantId":"${demo.tenantId}","registerId":"${demo.registerIds[0]}","userId":"${demo.logins.cashier.userId}","pin":"${cashierPin}"}
Try:
  curl -s ${base}/auth/login -H 'content-type: application/json' \\
    -d '{"email":"${demo.logins.owner.email}","password":"${demoPasswords.owner}"}'
`);

  // A failure while stopping is reported and ends the process non-zero, never left as an unhandled rejection.
  const stop = () => {
    app
      .close()
      .then(() => postgres.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
}
