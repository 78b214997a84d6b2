import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import type { Type } from '@nestjs/common';
import { ErrorCode } from './error-code.js';

export class ErrorDetailDto {
  /** The field (body property, query or path parameter) at fault. */
  @ApiProperty({ example: 'pageNumber' })
  field!: string;

  /** What is wrong with it. */
  @ApiProperty({ example: 'pageNumber must not be less than 1' })
  message!: string;
}

export class ErrorBodyDto {
  /** Machine-readable error code. */
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.VALIDATION_ERROR })
  code!: ErrorCode;

  /** Human-readable message. Never contains stack traces or database driver messages. */
  @ApiProperty({ example: 'Validation failed' })
  message!: string;

  /** Per-field details (one entry per invalid field for `VALIDATION_ERROR`); may be empty. */
  @ApiProperty({ type: [ErrorDetailDto] })
  details!: ErrorDetailDto[];

  /** Id of the request, to quote when reporting a problem. */
  @ApiProperty({ required: false, example: 'req-1' })
  requestId?: string;
}

/** Error envelope used for every error response, whatever raised it. */
export class ErrorResponseDto {
  /** Always `false`. */
  @ApiProperty({ enum: [false], example: false })
  success!: false;

  @ApiProperty({ type: ErrorBodyDto })
  error!: ErrorBodyDto;
}

/**
 * Swagger model for `{ success: true, data: T }`, named `name` in the document. `requiredInData`
 * lists the properties of `model` that are always present here although `model` (shared with
 * list items, which `fields` may trim) leaves them optional.
 */
export function DataEnvelopeDto<T>(
  model: Type<T>,
  name: string,
  requiredInData: (keyof T & string)[] = [],
): Type<unknown> {
  class DataEnvelope {
    /** Always `true`. */
    @ApiProperty({ enum: [true], example: true })
    success!: true;

    @ApiProperty(
      requiredInData.length > 0
        ? {
            type: 'object',
            properties: {},
            // Beside allOf, not inside it: openapi-typescript then types it WithRequired<T, ...>.
            required: requiredInData,
            selfRequired: true,
            allOf: [{ $ref: getSchemaPath(model) }],
          }
        : { type: model },
    )
    data!: T;
  }
  Object.defineProperty(DataEnvelope, 'name', { value: name });
  return DataEnvelope;
}

/** Swagger model for `{ success: true, data: T[], total }`, named `name` in the document. */
export function ListEnvelopeDto<T>(model: Type<T>, name: string): Type<unknown> {
  class ListEnvelope {
    /** Always `true`. */
    @ApiProperty({ enum: [true], example: true })
    success!: true;

    @ApiProperty({ type: [model] })
    data!: T[];

    /** Number of records matching the query, ignoring `limit` and `offset`. */
    @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
    total!: number;
  }
  Object.defineProperty(ListEnvelope, 'name', { value: name });
  return ListEnvelope;
}
