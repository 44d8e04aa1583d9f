import { Module } from '@nestjs/common';
import { BarcodeController } from './barcode.controller.js';
import { BarcodeResolverService } from './barcode-resolver.service.js';
import { CategoryController } from './category.controller.js';
import { CategoryService } from './category.service.js';
import { ProductController } from './product.controller.js';
import { ProductService } from './product.service.js';
import { TaxCategoryController } from './tax-category.controller.js';
import { TaxCategoryService } from './tax-category.service.js';

@Module({
  controllers: [TaxCategoryController, CategoryController, ProductController, BarcodeController],
  providers: [TaxCategoryService, CategoryService, ProductService, BarcodeResolverService],
  exports: [ProductService, BarcodeResolverService],
})
export class CatalogModule {}
