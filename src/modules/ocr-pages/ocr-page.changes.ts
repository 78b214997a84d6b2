import type { AnnotationDto } from './dto/annotation.dto.js';
import type { CreateOcrPageDto } from './dto/create-ocr-page.dto.js';
import type { UpdateOcrPageDto } from './dto/update-ocr-page.dto.js';
import { PageStatus, PageType } from './ocr-page.enums.js';
import type { NewOcrPage, OcrPageChange, OcrPageRecord } from './ocr-pages.repository.js';
import type { Annotation } from './schemas/ocr-page.schema.js';

/**
 * What processing wrote about the image at `pageUrl`. When the URL changes, all of it described
 * another image, so it is cleared and the page goes back to `pending`.
 */
export const PROCESSING_OUTPUT_FIELDS = [
  'preprocessing',
  'ocrResults',
  'extractedFields',
  'tableData',
  'processingTime',
  'startedAt',
  'completedAt',
  'errorLog',
  'qualityScore',
] as const;

/** Writable fields that PUT clears when the request omits them. */
const OPTIONAL_WRITABLE_FIELDS = ['imageProperties', 'annotations', 'metadata'] as const;

function toAnnotations(annotations: AnnotationDto[], now: Date): Annotation[] {
  return annotations.map((item) => ({
    type: item.type,
    text: item.text,
    coordinates: item.coordinates,
    createdBy: item.createdBy,
    createdAt: item.createdAt ? new Date(item.createdAt) : now,
  }));
}

/** A new page from a validated create request. */
export function newPageFrom(dto: CreateOcrPageDto, now: Date): NewOcrPage {
  return {
    job: dto.job,
    pageNumber: dto.pageNumber,
    pageUrl: dto.pageUrl,
    pageType: dto.pageType ?? PageType.Content,
    imageProperties: dto.imageProperties,
    annotations: dto.annotations && toAnnotations(dto.annotations, now),
    metadata: dto.metadata,
  };
}

function withUrlReset(
  set: Record<string, unknown>,
  unset: Record<string, 1>,
  keepImageProperties: boolean,
): void {
  set.status = PageStatus.Pending;
  set.retryCount = 0;
  for (const field of PROCESSING_OUTPUT_FIELDS) {
    unset[field] = 1;
  }
  if (!keepImageProperties) {
    // Measured properties of the old image; the request did not describe the new one.
    unset.imageProperties = 1;
  }
}

function toChange(set: Record<string, unknown>, unset: Record<string, 1>): OcrPageChange {
  return {
    ...(Object.keys(set).length > 0 && { $set: set }),
    ...(Object.keys(unset).length > 0 && { $unset: unset }),
  };
}

/** PUT: every writable field takes the request's value; omitted optional ones are cleared. */
export function replaceChange(
  current: OcrPageRecord,
  dto: CreateOcrPageDto,
  now: Date,
): OcrPageChange {
  const set: Record<string, unknown> = {
    job: dto.job,
    pageNumber: dto.pageNumber,
    pageUrl: dto.pageUrl,
    pageType: dto.pageType ?? PageType.Content,
  };
  const unset: Record<string, 1> = {};
  for (const field of OPTIONAL_WRITABLE_FIELDS) {
    if (dto[field] === undefined) {
      unset[field] = 1;
    }
  }
  if (dto.imageProperties) {
    set.imageProperties = dto.imageProperties;
  }
  if (dto.annotations) {
    set.annotations = toAnnotations(dto.annotations, now);
  }
  if (dto.metadata) {
    set.metadata = dto.metadata;
  }
  if (dto.pageUrl !== current.pageUrl) {
    withUrlReset(set, unset, dto.imageProperties !== undefined);
  }
  return toChange(set, unset);
}

/**
 * PATCH: only the fields sent change; a sub-object sent replaces the stored one whole.
 * Returns undefined when the request changes nothing.
 */
export function patchChange(
  current: OcrPageRecord,
  dto: UpdateOcrPageDto,
  now: Date,
): OcrPageChange | undefined {
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  if (dto.job !== undefined) {
    set.job = dto.job;
  }
  if (dto.pageNumber !== undefined) {
    set.pageNumber = dto.pageNumber;
  }
  if (dto.pageUrl !== undefined) {
    set.pageUrl = dto.pageUrl;
  }
  if (dto.pageType !== undefined) {
    set.pageType = dto.pageType;
  }
  if (dto.imageProperties !== undefined) {
    set.imageProperties = dto.imageProperties;
  }
  if (dto.annotations !== undefined) {
    set.annotations = toAnnotations(dto.annotations, now);
  }
  if (dto.metadata !== undefined) {
    set.metadata = dto.metadata;
  }
  if (Object.keys(set).length === 0) {
    return undefined;
  }
  if (dto.pageUrl !== undefined && dto.pageUrl !== current.pageUrl) {
    withUrlReset(set, unset, dto.imageProperties !== undefined);
  }
  return toChange(set, unset);
}
