import { Controller, Get, Inject, Query } from '@nestjs/common';
import { openApiDocument } from '@oo/contracts';
import { parseInput } from '@oo/platform';
import { Public } from '@oo/access';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

/**
 * `GET /api/docs`: the OpenAPI 3.1 document of the public HTTP API, generated from schemas/http/
 * (`npm run contracts:generate`), with this deployment's URL as its server.
 */
@Controller('api/docs')
@Public()
export class OpenApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(GATEWAY_ENV) env: GatewayEnv) {
    const { openapi, info, ...rest } = openApiDocument;
    this.document = { openapi, info, servers: [{ url: env.PUBLIC_URL }], ...rest };
  }

  @Get()
  get(@Query() query: unknown): Record<string, unknown> {
    parseInput('docs.get', 'query', query);
    return this.document;
  }
}
