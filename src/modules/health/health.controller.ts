import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  MongooseHealthIndicator,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator.js';
import type { Environment } from '../../config/index.js';
import { HealthResponseDto } from './health.response.dto.js';
import { ProcessingHealthIndicator } from './processing.health.js';

/** How long the database has to answer a ping before the app reports itself not ready. */
const DATABASE_PING_TIMEOUT_MS = 1500;

const READY_DESCRIPTION =
  '200 once the app can serve: the database answers a ping and, where this process runs processing workers (`PROCESSING_ENABLED`), their loops are running. 503 `UNAVAILABLE` when not. For load balancers and readiness probes.';

@ApiTags('Health')
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  private readonly readiness: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    mongoose: MongooseHealthIndicator,
    processing: ProcessingHealthIndicator,
    config: ConfigService<Environment, true>,
  ) {
    this.readiness = [
      () => mongoose.pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS }),
      ...(config.get('PROCESSING_ENABLED', { infer: true })
        ? [() => processing.isRunning('processing')]
        : []),
    ];
  }

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'health',
    summary: 'Health check',
    description: `The same check as \`/health/ready\`. ${READY_DESCRIPTION}`,
  })
  @ApiOkResponse({ type: HealthResponseDto, description: 'The app can serve.' })
  @ApiErrorResponses([503])
  check() {
    return this.health.check(this.readiness);
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'healthReady',
    summary: 'Readiness',
    description: READY_DESCRIPTION,
  })
  @ApiOkResponse({ type: HealthResponseDto, description: 'The app can serve.' })
  @ApiErrorResponses([503])
  ready() {
    return this.health.check(this.readiness);
  }

  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'healthLive',
    summary: 'Liveness',
    description:
      '200 while the process runs and serves HTTP; checks no dependency, so a database outage never gets the process restarted. For liveness probes.',
  })
  @ApiOkResponse({ type: HealthResponseDto, description: 'The process is alive.' })
  live() {
    return this.health.check([]);
  }
}
