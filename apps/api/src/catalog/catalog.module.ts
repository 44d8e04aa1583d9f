import { Module } from '@nestjs/common';
import { OpsModule } from '../ops/ops.module.js';
import { BarcodeController } from './barcode.controller.js';
import { BarcodeResolverService } from './barcode-resolver.service.js';
import { CategoryController } from './category.controller.js';
import { CategoryService } from './category.service.js';
import { LookupCache } from './lookup-cache.js';
import { LookupCacheConsumer } from './lookup-cache.consumer.js';
import { ProductController } from './product.controller.js';
import { ProductService } from './product.service.js';
import { TaxCategoryController } from './tax-category.controller.js';
import { TaxCategoryService } from './tax-category.service.js';

@Module({
  imports: [OpsModule],
  controllers: [TaxCategoryController, CategoryController, ProductController, BarcodeController],
  providers: [
    TaxCategoryService,
    CategoryService,
    ProductService,
    BarcodeResolverService,
    LookupCache,
    LookupCacheConsumer,
  ],
  exports: [ProductService, BarcodeResolverService, LookupCacheConsumer],
})
export class CatalogModule {}
