import { Controller, Get, Header, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExtension, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, RequireScope } from '../../common/auth/auth.decorators.js';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator.js';
import { METRICS_CONTENT_TYPE, MetricsService } from './metrics.service.js';

@ApiTags('Metrics')
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @RequireScope('metrics')
  @ApiKeyAuth()
  @ApiExtension('x-required-scope', 'metrics')
  @Header('Content-Type', METRICS_CONTENT_TYPE)
  @ApiOperation({
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description:
      'Metrics in the Prometheus text format: HTTP latency by route and status, pages by status (counted at most once per `METRICS_PAGE_COUNT_TTL_MS`), OCR processing time and failures, database pool figures, and the process (CPU, memory, event loop, GC). Needs a key with the `metrics` (or `admin`) scope.',
  })
  @ApiProduces(METRICS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The metrics.', schema: { type: 'string' } })
  @ApiErrorResponses([401, 403, 429])
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
