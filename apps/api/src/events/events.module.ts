import { type DynamicModule, Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { OpsModule } from '../ops/ops.module.js';
import { realtimeConsumerProvider } from '../realtime/realtime-consumer.provider.js';
import { PROCESS_ROLE, type ProcessRole } from '../config/process-role.js';
import { EventsRuntime } from './events.runtime.js';

/** The outbox relay and the event consumers (events.runtime.ts). */
@Module({})
export class EventsModule {
  static register(role: ProcessRole): DynamicModule {
    return {
      module: EventsModule,
      imports: [OpsModule, InventoryModule, CatalogModule],
      providers: [{ provide: PROCESS_ROLE, useValue: role }, realtimeConsumerProvider, EventsRuntime],
      exports: [EventsRuntime],
    };
  }
}
