import { Global, Module } from '@nestjs/common';
import { ENV, type Env } from '../../config/env.js';
import { Cursors } from './cursor.js';

/** The sealed cursors of every listing, keyed from the server's JWT_SECRET (see Cursors). */
@Global()
@Module({
  providers: [{ provide: Cursors, inject: [ENV], useFactory: (env: Env) => new Cursors(env.JWT_SECRET) }],
  exports: [Cursors],
})
export class PagingModule {}
