import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { ENV, type Env } from '../config/env.js';
import { PROCESS_ROLE, type ProcessRole } from '../config/process-role.js';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import { redisClient } from '../redis/redis-client.js';
import { REDIS, type RedisOrNone } from '../redis/redis.module.js';

/** Which try of its job a run is: the last one may record that the job gave up. */
export interface JobAttempt {
  number: number;
  last: boolean;
}

export type JobHandler = (data: unknown, jobId: string, attempt: JobAttempt) => Promise<void>;

/** Tries of a job before it is parked in the failed set; the waits between them double from the first. */
export const JOB_ATTEMPTS = 5;
export const JOB_FIRST_BACKOFF_MS = 1_000;
const QUEUE = 'zakpos';

/**
 * Background jobs, by name and id. With REDIS_URL they go to a BullMQ queue, served by the processes that run
 * the events machinery (the worker; the API too with EVENTS_RUN_IN=api); a job that throws is retried with
 * a doubling backoff and, after its last try, parked in the failed set (zakpos_jobs_failed), never dropped.
 * A second job with the same id, while the first is known, is not added. Without Redis (the embedded
 * default), or when Redis refuses the job, it runs in this process with the same tries: the receipt a
 * customer asked for still goes out, and the handler's own dedupe keeps a retry from sending it twice.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, JobHandler>();
  private readonly queue: Queue | undefined;
  private worker: Worker | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly runs: Counter<'name' | 'result'>;
  /** Ids run in this process and not yet finished: a repeat while one runs is not started again. */
  private readonly running = new Set<string>();

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
    @Inject(REDIS) private readonly redis: RedisOrNone,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.queue = redis ? new Queue(QUEUE, { connection: redis }) : undefined;
    this.runs = new Counter({
      name: 'zakpos_jobs_total',
      help: 'Job runs by name and result (completed, retried, failed: parked after its last try)',
      labelNames: ['name', 'result'],
      registers: [metrics.registry],
    });
    const queue = this.queue;
    new Gauge({
      name: 'zakpos_jobs_failed',
      help: 'Jobs parked in the failed set after their last try (0 without Redis)',
      registers: [metrics.registry],
      async collect() {
        this.set(queue ? await queue.getFailedCount().catch(() => 0) : 0);
      },
    });
  }

  register(name: string, handler: JobHandler): void {
    if (this.handlers.has(name)) throw new Error(`job ${name} registered twice`);
    this.handlers.set(name, handler);
  }

  async enqueue(name: string, jobId: string, data: unknown): Promise<void> {
    if (!this.handlers.has(name)) throw new Error(`no handler for job ${name}`);
    if (this.queue) {
      try {
        await this.queue.add(name, data, {
          jobId,
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: JOB_FIRST_BACKOFF_MS },
          removeOnComplete: { age: 86_400 },
          removeOnFail: false,
        });
        return;
      } catch (err) {
        this.logger.warn(
          `job ${name} ${jobId} runs in this process: Redis refused it (${(err as Error).message})`,
        );
      }
    }
    this.runHere(name, jobId, data);
  }

  /** True in the processes that run jobs: the worker, and the API with EVENTS_RUN_IN=api. */
  get serves(): boolean {
    return this.role === 'worker' || this.env.EVENTS_RUN_IN === 'api';
  }

  /**
   * Runs the job `name` every `everyMs`, in a process that serves jobs: a BullMQ job scheduler with Redis
   * (one schedule however many processes set it), a timer of this process without it.
   */
  async schedule(name: string, everyMs: number): Promise<void> {
    if (!this.serves) return;
    if (this.queue) {
      try {
        await this.queue.upsertJobScheduler(name, { every: everyMs }, { name, data: {} });
        return;
      } catch (err) {
        this.logger.warn(
          `job ${name} is scheduled in this process: Redis refused it (${(err as Error).message})`,
        );
      }
    }
    const timer = setInterval(() => this.runHere(name, `${name}:${Date.now()}`, {}), everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** The BullMQ worker, in the processes that serve jobs. */
  onApplicationBootstrap(): void {
    if (!this.env.REDIS_URL || !this.serves) return;
    // A worker blocks on Redis and must wait for it: its own connection, retrying forever.
    const connection = redisClient(this.env.REDIS_URL, `zakpos-jobs-${this.role}`, () => {}, {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    this.worker = new Worker(
      QUEUE,
      (job) => {
        const number = job.attemptsMade + 1;
        return this.handle(job.name, job.id!, job.data, { number, last: number >= (job.opts.attempts ?? 1) });
      },
      {
        connection,
        concurrency: 4,
      },
    );
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      const parked = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.runs.inc({ name: job.name, result: parked ? 'failed' : 'retried' });
      this.logger.warn(`job ${job.name} ${job.id} failed (try ${job.attemptsMade}): ${err.message}`);
    });
    this.worker.on('completed', (job) => this.runs.inc({ name: job.name, result: 'completed' }));
    this.worker.on('error', (err) => this.logger.warn(`jobs worker: ${err.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.worker?.close();
    await this.queue?.close();
  }

  private async handle(name: string, jobId: string, data: unknown, attempt: JobAttempt): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler for job ${name}`);
    await handler(data, jobId, attempt);
  }

  private runHere(name: string, jobId: string, data: unknown): void {
    if (this.running.has(jobId)) return;
    this.running.add(jobId);
    void (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.handle(name, jobId, data, { number: attempt, last: attempt >= JOB_ATTEMPTS });
          this.runs.inc({ name, result: 'completed' });
          break;
        } catch (err) {
          if (attempt >= JOB_ATTEMPTS) {
            this.runs.inc({ name, result: 'failed' });
            this.logger.error(
              `job ${name} ${jobId} failed after ${attempt} tries: ${(err as Error).message}`,
            );
            break;
          }
          this.runs.inc({ name, result: 'retried' });
          await new Promise((r) => setTimeout(r, JOB_FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
        }
      }
      this.running.delete(jobId);
    })();
  }
}
