import { Module } from '@nestjs/common';
import { AuditLogController } from './audit-log.controller.js';
import { AuditLogService } from './audit-log.service.js';
import { RegisterController } from './register.controller.js';
import { RegisterService } from './register.service.js';
import { StoreController } from './store.controller.js';
import { StoreService } from './store.service.js';
import { TenantSettingsController } from './tenant-settings.controller.js';
import { TenantSettingsService } from './tenant-settings.service.js';
import { UserController } from './user.controller.js';
import { UserService } from './user.service.js';

/** Tenant administration: settings, stores, registers, users and reading the audit log. */
@Module({
  controllers: [
    TenantSettingsController,
    StoreController,
    RegisterController,
    UserController,
    AuditLogController,
  ],
  providers: [TenantSettingsService, StoreService, RegisterService, UserService, AuditLogService],
  exports: [UserService],
})
export class TenancyModule {}
