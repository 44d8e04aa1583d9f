import { type DynamicModule, Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { OpsModule } from '../ops/ops.module.js';
import { BROADCAST, type BroadcastOrNone } from '../realtime/broadcast.js';
import { RealtimeConsumer } from '../realtime/realtime.consumer.js';
import { PROCESS_ROLE, type ProcessRole } from '../config/process-role.js';
import { EventsRuntime } from './events.runtime.js';

/** The outbox relay and the event consumers (events.runtime.ts). */
@Module({})
export class EventsModule {
  static register(role: ProcessRole): DynamicModule {
    return {
      module: EventsModule,
      imports: [OpsModule, InventoryModule, CatalogModule],
      providers: [
        { provide: PROCESS_ROLE, useValue: role },
        {
          provide: RealtimeConsumer,
          inject: [BROADCAST],
          useFactory: (broadcast: BroadcastOrNone) => new RealtimeConsumer(broadcast),
        },
        EventsRuntime,
      ],
      exports: [EventsRuntime],
    };
  }
}
