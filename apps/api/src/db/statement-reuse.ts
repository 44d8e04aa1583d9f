import pg from 'pg';
import { isStalePlan } from './pg-error.js';

/** Distinct statements kept prepared per connection; past this, statements run unnamed (parsed each time). */
export const MAX_PREPARED_PER_CONNECTION = 256;

/**
 * A pg client that turns every parameterised query into a named prepared statement, so PostgreSQL parses
 * and plans each statement once per connection instead of on every call (pgbench -M prepared against
 * -M extended). Names are per connection; when a migration changes what a `select *` returns, PostgreSQL
 * refuses the old statement (0A000): the text then gets a fresh name, and the unit of work retries.
 */
export class StatementReusingClient extends pg.Client {
  private readonly names = new Map<string, string>();
  private minted = 0;

  override query(config: unknown, values?: unknown, callback?: unknown): never {
    const reusable =
      typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined;
    if (!reusable) return (super.query as (...args: unknown[]) => never)(config, values, callback);
    const text = config;
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_PREPARED_PER_CONNECTION) {
      name = `zq${++this.minted}`;
      this.names.set(text, name);
    }
    const run = super.query({ name, text, values } as pg.QueryConfig) as Promise<pg.QueryResult>;
    return run.catch((err: unknown) => {
      if (name !== undefined && isStalePlan(err)) this.names.delete(text);
      throw err;
    }) as never;
  }
}
