import { Module } from '@nestjs/common';
import { ENV, type Env } from '../config/env.js';
import { ExportLinks } from './export-links.js';
import { EXPORT_STORAGE, type ExportStorageOrNone } from './export-storage.js';
import { LocalExportStorage } from './local-export-storage.js';
import { ReportExportService } from './report-export.service.js';
import { ReportExportsController } from './report-exports.controller.js';
import { ReportService } from './report.service.js';
import { ReportsController } from './reports.controller.js';

@Module({
  controllers: [ReportsController, ReportExportsController],
  providers: [
    ReportService,
    ReportExportService,
    {
      provide: EXPORT_STORAGE,
      inject: [ENV],
      useFactory: (env: Env): ExportStorageOrNone =>
        env.EXPORTS_DIR ? new LocalExportStorage(env.EXPORTS_DIR) : null,
    },
    { provide: ExportLinks, inject: [ENV], useFactory: (env: Env) => new ExportLinks(env.JWT_SECRET) },
  ],
})
export class ReportsModule {}
