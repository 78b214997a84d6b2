import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { ErrorCode } from '../http/error-code.js';
import { ReadOnlyProperties } from './read-only-properties.js';
import { toErrorDetails, validationExceptionFactory } from './validation-errors.js';

class CoordinatesDto {
  @IsInt()
  x!: number;

  @IsInt()
  y!: number;
}

class AnnotationDto {
  @IsString()
  text!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  coordinates?: CoordinatesDto;
}

class ImagePropertiesDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  dpi?: number;
}

@ReadOnlyProperties(['status', 'createdAt'])
class PageDto {
  @IsString()
  pageUrl!: string;

  @IsOptional()
  @IsString({ message: 'must be a label' })
  label?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ImagePropertiesDto)
  imageProperties?: ImagePropertiesDto;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AnnotationDto)
  annotations?: AnnotationDto[];
}

/** Validates like the app's global ValidationPipe does. */
function detailsFor(plain: Record<string, unknown>) {
  const errors = validateSync(plainToInstance(PageDto, plain), {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: true, value: false },
  });
  return toErrorDetails(errors);
}

const URL = 'https://files.example.com/1.png';

describe('toErrorDetails', () => {
  it('returns no details for a valid object', () => {
    expect(
      detailsFor({
        pageUrl: URL,
        imageProperties: { dpi: 300 },
        annotations: [{ text: 'ok', coordinates: { x: 1, y: 2 } }],
      }),
    ).toStrictEqual([]);
  });

  it('names a top-level field in its message', () => {
    expect(detailsFor({ pageUrl: 5 })).toStrictEqual([
      { field: 'pageUrl', message: 'pageUrl must be a string' },
    ]);
  });

  it('uses the dotted path of a nested object field', () => {
    expect(detailsFor({ pageUrl: URL, imageProperties: { dpi: -1 } })).toStrictEqual([
      { field: 'imageProperties.dpi', message: 'imageProperties.dpi must not be less than 0' },
    ]);
  });

  it('uses array indexes in the path of a field inside an array element', () => {
    expect(
      detailsFor({
        pageUrl: URL,
        annotations: [
          { text: 'fine', coordinates: { x: 1, y: 2 } },
          { text: 'bad', coordinates: { x: 1.5, y: 2 } },
        ],
      }),
    ).toStrictEqual([
      {
        field: 'annotations.1.coordinates.x',
        message: 'annotations.1.coordinates.x must be an integer number',
      },
    ]);
    expect(
      detailsFor({ pageUrl: URL, annotations: [{ text: 'a', coordinates: { x: 0.5, y: 2 } }] }),
    ).toStrictEqual([
      {
        field: 'annotations.0.coordinates.x',
        message: 'annotations.0.coordinates.x must be an integer number',
      },
    ]);
  });

  it('gives one detail per broken rule of a field', () => {
    const details = detailsFor({ pageUrl: URL, imageProperties: { dpi: 'high' } });
    expect(details).toHaveLength(2);
    expect(details).toEqual(
      expect.arrayContaining([
        { field: 'imageProperties.dpi', message: 'imageProperties.dpi must be an integer number' },
        { field: 'imageProperties.dpi', message: 'imageProperties.dpi must not be less than 0' },
      ]),
    );
  });

  it('keeps a custom message that does not start with the property name', () => {
    expect(detailsFor({ pageUrl: URL, label: 7 })).toStrictEqual([
      { field: 'label', message: 'must be a label' },
    ]);
  });

  it('says a read-only property is managed by the server', () => {
    expect(detailsFor({ pageUrl: URL, status: 'completed', createdAt: 'x' })).toStrictEqual([
      { field: 'status', message: 'status is managed by the server and cannot be written' },
      { field: 'createdAt', message: 'createdAt is managed by the server and cannot be written' },
    ]);
  });

  it('says any other undeclared property is not known', () => {
    expect(detailsFor({ pageUrl: URL, colour: 'red' })).toStrictEqual([
      { field: 'colour', message: 'colour is not a known property' },
    ]);
  });

  it('applies the read-only list of the class that declares it only', () => {
    expect(
      detailsFor({
        pageUrl: URL,
        imageProperties: { dpi: 1, status: 'x' },
        annotations: [{ text: 'a', extra: true }],
      }),
    ).toStrictEqual([
      {
        field: 'imageProperties.status',
        message: 'imageProperties.status is not a known property',
      },
      { field: 'annotations.0.extra', message: 'annotations.0.extra is not a known property' },
    ]);
  });

  it('never echoes the submitted values', () => {
    const secret = 'IBAN-DE89370400440532013000';
    const details = detailsFor({
      pageUrl: 12,
      imageProperties: { dpi: secret },
      annotations: [{ text: 1, coordinates: { x: secret, y: 1 } }],
      status: secret,
      [secret.toLowerCase()]: 1,
    });
    expect(details.length).toBeGreaterThan(0);
    expect(JSON.stringify(details.map((detail) => detail.message))).not.toContain(secret);
  });

  it('prefixes paths with parentPath when given', () => {
    const errors = validateSync(plainToInstance(CoordinatesDto, { x: 'a', y: 1 }));
    expect(toErrorDetails(errors, 'box')).toStrictEqual([
      { field: 'box.x', message: 'box.x must be an integer number' },
    ]);
  });
});

describe('validationExceptionFactory', () => {
  it('wraps the details in a VALIDATION_ERROR AppError', () => {
    const errors = validateSync(plainToInstance(CoordinatesDto, { x: 1, y: 'b' }));
    const error = validationExceptionFactory(errors);
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe('Validation failed');
    expect(error.details).toStrictEqual([{ field: 'y', message: 'y must be an integer number' }]);
  });
});
