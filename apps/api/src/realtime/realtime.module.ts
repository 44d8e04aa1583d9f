import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RealtimeGateway } from './realtime.gateway.js';

/**
 * The Socket.IO server of an API process (realtime.gateway.ts). Global, so the services that push after a
 * commit (carts) and the events module's realtime consumer find the gateway without importing this.
 */
@Global()
@Module({
  imports: [AuthModule],
  providers: [RealtimeGateway],
  exports: [RealtimeGateway],
})
export class RealtimeModule {}
