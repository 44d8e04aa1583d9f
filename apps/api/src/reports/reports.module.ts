import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ENV, type Env } from '../config/env.js';
import { ExportExpiry } from './export-expiry.job.js';
import { ExportLinks } from './export-links.js';
import { EXPORT_STORAGE, type ExportStorageOrNone } from './export-storage.js';
import { LocalExportStorage } from './local-export-storage.js';
import { S3ExportStorage } from './s3-export-storage.js';
import { ReportExportService } from './report-export.service.js';
import { ReportExportsController } from './report-exports.controller.js';
import { ReportService } from './report.service.js';
import { ReportsController } from './reports.controller.js';

@Module({
  controllers: [ReportsController, ReportExportsController],
  providers: [
    ReportService,
    ReportExportService,
    ExportExpiry,
    {
      provide: EXPORT_STORAGE,
      inject: [ENV],
      useFactory: (env: Env): ExportStorageOrNone => {
        if (env.S3_BUCKET) {
          return new S3ExportStorage({
            bucket: env.S3_BUCKET,
            endpoint: env.S3_ENDPOINT,
            region: env.S3_REGION,
            accessKeyId: env.S3_ACCESS_KEY_ID!,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
          });
        }
        return env.EXPORTS_DIR ? new LocalExportStorage(env.EXPORTS_DIR) : null;
      },
    },
    { provide: ExportLinks, inject: [ENV], useFactory: (env: Env) => new ExportLinks(env.JWT_SECRET) },
  ],
})
export class ReportsModule implements OnApplicationShutdown {
  constructor(@Inject(EXPORT_STORAGE) private readonly storage: ExportStorageOrNone) {}

  onApplicationShutdown(): void {
    this.storage?.close?.();
  }
}
