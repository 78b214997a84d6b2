import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator.js';
import { HealthResponseDto } from './health.response.dto.js';

/** How long the database has to answer a ping before the app reports itself not ready. */
const DATABASE_PING_TIMEOUT_MS = 1500;

@ApiTags('Health')
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'health',
    summary: 'Health check',
    description: '200 once the app can serve (database reachable), 503 when not.',
  })
  @ApiOkResponse({ type: HealthResponseDto, description: 'The app can serve.' })
  @ApiErrorResponses([503])
  check() {
    return this.health.check([
      () => this.mongoose.pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS }),
    ]);
  }
}
