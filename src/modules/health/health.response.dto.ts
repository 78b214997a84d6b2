import { ApiProperty } from '@nestjs/swagger';

/** Health status, with the state of each dependency. */
export class HealthResponseDto {
  /** `ok`: ready to serve (readiness), or running (liveness). */
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';

  /** State of each dependency that is up, by name. */
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { database: { status: 'up' }, processing: { status: 'up' } },
  })
  info!: Record<string, unknown>;
}
