import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { EnvError, loadEnv } from './config/env.js';

try {
  const env = loadEnv();
  const app = await createApp(env);
  await app.listen({ port: env.PORT, host: env.HOST });
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
}
