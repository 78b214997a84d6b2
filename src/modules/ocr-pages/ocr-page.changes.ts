import type { AnnotationDto } from './dto/annotation.dto.js';
import type { CreateOcrPageDto } from './dto/create-ocr-page.dto.js';
import type { UpdateOcrPageDto } from './dto/update-ocr-page.dto.js';
import { PageStatus, PageType } from './ocr-page.enums.js';
import type { Annotation, OcrPage } from './schemas/ocr-page.schema.js';

/** The fields a new page is stored with; everything else takes its schema default. */
export type NewOcrPage = Pick<OcrPage, 'pageNumber' | 'pageUrl'> &
  Partial<
    Pick<OcrPage, 'pageType' | 'imageProperties' | 'annotations' | 'metadata' | 'queuedAt'>
  > & {
    /** 24-hex job id; stored as an ObjectId. */
    job: string;
  };

/**
 * A change to a stored page, in the page's own terms: the fields to give a value and the fields
 * to clear. The repository turns it into a MongoDB update document (and bumps the revision).
 */
export interface PageFieldChange {
  set: Record<string, unknown>;
  unset: string[];
}

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
  'extractionChecks',
  'eInvoice',
  'review',
  // People's corrections were of the old image's fields.
  'corrections',
] as const;

/** The writable fields, as `updated` and `created` history events list their changes. */
export const WRITABLE_FIELDS = [
  'job',
  'pageNumber',
  'pageUrl',
  'pageType',
  'imageProperties',
  'annotations',
  'metadata',
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

/** Processing queue state that a new image invalidates (a running worker's claim included). */
const QUEUE_STATE_FIELDS = [
  'nextAttemptAt',
  'leaseOwner',
  'leaseExpiresAt',
  'leaseBeat',
  'leaseMs',
] as const;

/** A new page from a validated create request; queued for processing when `queue` is set. */
export function newPageFrom(dto: CreateOcrPageDto, now: Date, queue: boolean): NewOcrPage {
  return {
    ...(queue && { queuedAt: now }),
    job: dto.job,
    pageNumber: dto.pageNumber,
    pageUrl: dto.pageUrl,
    pageType: dto.pageType ?? PageType.Content,
    imageProperties: dto.imageProperties,
    annotations: dto.annotations && toAnnotations(dto.annotations, now),
    metadata: dto.metadata,
  };
}

/**
 * A write to a page, in the two forms it takes depending on the page's stored `pageUrl`. The
 * service picks the form from the page it read and applies it only to that revision of the page,
 * so the form always fits the page it changes.
 */
export interface PageWrite {
  /** The update when the request sends no `pageUrl`, or the one already stored. */
  sameImage: PageFieldChange;
  /** When the request sends a `pageUrl`: that URL and the change for a page whose URL differs. */
  newImage?: { pageUrl: string; change: PageFieldChange };
}

/**
 * A new image makes the page `pending` again and clears what processing wrote about the old one,
 * measured imageProperties included unless the request describes the new image.
 */
function withNewImage(
  set: Record<string, unknown>,
  unset: string[],
  pageUrl: string,
  keepImageProperties: boolean,
  queuedAt: Date | undefined,
): PageWrite['newImage'] {
  const newUnset = [...unset, ...PROCESSING_OUTPUT_FIELDS, ...QUEUE_STATE_FIELDS];
  if (!queuedAt) {
    newUnset.push('queuedAt');
  }
  if (!keepImageProperties) {
    newUnset.push('imageProperties');
  }
  return {
    pageUrl,
    change: {
      set: { ...set, status: PageStatus.Pending, retryCount: 0, ...(queuedAt && { queuedAt }) },
      unset: newUnset,
    },
  };
}

/**
 * PUT: every writable field takes the request's value; omitted optional ones are cleared.
 * With `queue`, a new image is queued for processing.
 */
export function replaceWrite(dto: CreateOcrPageDto, now: Date, queue: boolean): PageWrite {
  const set: Record<string, unknown> = {
    job: dto.job,
    pageNumber: dto.pageNumber,
    pageUrl: dto.pageUrl,
    pageType: dto.pageType ?? PageType.Content,
  };
  const unset = OPTIONAL_WRITABLE_FIELDS.filter((field) => dto[field] === undefined);
  if (dto.imageProperties) {
    set.imageProperties = dto.imageProperties;
  }
  if (dto.annotations) {
    set.annotations = toAnnotations(dto.annotations, now);
  }
  if (dto.metadata) {
    set.metadata = dto.metadata;
  }
  return {
    sameImage: { set, unset },
    newImage: withNewImage(
      set,
      unset,
      dto.pageUrl,
      dto.imageProperties !== undefined,
      queue ? now : undefined,
    ),
  };
}

/**
 * PATCH: only the fields sent change; a sub-object sent replaces the stored one whole.
 * Returns undefined when the request changes nothing.
 */
export function patchWrite(
  dto: UpdateOcrPageDto,
  now: Date,
  queue: boolean,
): PageWrite | undefined {
  const set: Record<string, unknown> = {};
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
  return {
    sameImage: { set, unset: [] },
    newImage:
      dto.pageUrl === undefined
        ? undefined
        : withNewImage(
            set,
            [],
            dto.pageUrl,
            dto.imageProperties !== undefined,
            queue ? now : undefined,
          ),
  };
}
