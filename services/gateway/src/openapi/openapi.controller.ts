import { Controller, Get, Inject, Query } from '@nestjs/common';
import { NO_QUERY, parseInput } from '@oo/platform';
import { Public } from '@oo/access';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { openApiDocument } from './openapi.document.js';

/** `GET /api/docs`: the OpenAPI document of the public HTTP API. */
@Controller('api/docs')
@Public()
export class OpenApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(GATEWAY_ENV) env: GatewayEnv) {
    this.document = openApiDocument(env.PUBLIC_URL);
  }

  @Get()
  get(@Query() query: unknown): Record<string, unknown> {
    parseInput(NO_QUERY, query, 'query');
    return this.document;
  }
}
