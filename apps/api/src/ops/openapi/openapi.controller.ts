import { Controller, Inject } from '@nestjs/common';
import { opsEndpoints } from '@zakpos/contracts';
import { Route } from '../../common/http/route.decorator.js';
import type { OpenApiDocument } from './openapi.js';
import { OPENAPI_DOCUMENT } from './openapi.provider.js';

@Controller()
export class OpenApiController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: OpenApiDocument) {}

  @Route(opsEndpoints.openApi)
  get(): OpenApiDocument {
    return this.document;
  }
}
