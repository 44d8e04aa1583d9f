import { Controller, Inject } from '@nestjs/common';
import { type BarcodeResolution, catalogEndpoints, type ParamsOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Ctx, Params, Route } from '../common/http/route.decorator.js';
import { BarcodeResolverService } from './barcode-resolver.service.js';

@Controller()
export class BarcodeController {
  constructor(@Inject(BarcodeResolverService) private readonly resolver: BarcodeResolverService) {}

  @Route(catalogEndpoints.resolveBarcode)
  resolve(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.resolveBarcode>,
  ): Promise<BarcodeResolution> {
    return this.resolver.resolve(ctx, p.code);
  }
}
