import { compact, isoDate } from '../../common/http/response-mapping.js';
import type { AnnotationDto } from './dto/annotation.dto.js';
import type { BoundingBoxDto } from './dto/bounding-box.dto.js';
import type { ExtractedFieldDto, OcrPageResponseDto } from './dto/ocr-page.response.dto.js';
import { FieldSource } from './ocr-page.enums.js';
import type { OcrPageRecord } from './ocr-pages.repository.js';
import type { StoredFields } from './review/corrections.js';
import type { Annotation, BoundingBox } from './schemas/ocr-page.schema.js';

function box(value: BoundingBox | undefined): BoundingBoxDto | undefined {
  return value ? { x: value.x, y: value.y, width: value.width, height: value.height } : undefined;
}

function annotation(value: Annotation): AnnotationDto {
  return {
    type: value.type,
    text: value.text,
    coordinates: box(value.coordinates),
    createdBy: value.createdBy,
    createdAt: isoDate(value.createdAt),
  };
}

/** What a corrected field keeps only to restore the value read: never shown. */
const RESTORE_ONLY = ['ocrConfidence', 'ocrSource'] as const;

/**
 * The extracted fields as the API shows them: as stored, with `source` always (fields stored
 * before it existed were read by OCR), a corrected field's `ocrValue` (null when nothing was read)
 * and `correctedAt` as an ISO string; what is kept only to restore a field stays internal.
 */
function extractedFields(fields: StoredFields): Record<string, ExtractedFieldDto> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, field]) => {
      const shown: Record<string, unknown> = { ...field };
      for (const key of RESTORE_ONLY) {
        delete shown[key];
      }
      return [
        name,
        compact({
          ...shown,
          source: field.source ?? FieldSource.Ocr,
          ocrValue: field.source === FieldSource.Review ? (field.ocrValue ?? null) : undefined,
          correctedAt: isoDate(field.correctedAt),
        }) as unknown as ExtractedFieldDto,
      ];
    }),
  );
}

/**
 * Builds the API's view of a stored page, field by field: internal fields (`revision`) never
 * leak, ids and dates become strings, absent fields are omitted. Works on partial records
 * (a `fields` selection) as well as whole ones.
 */
export function toOcrPageResponse(page: Partial<OcrPageRecord>): OcrPageResponseDto {
  return compact({
    _id: String(page._id),
    job: page.job === undefined ? undefined : String(page.job),
    pageNumber: page.pageNumber,
    pageUrl: page.pageUrl,
    status: page.status,
    pageType: page.pageType,
    imageProperties:
      page.imageProperties &&
      compact({
        width: page.imageProperties.width,
        height: page.imageProperties.height,
        dpi: page.imageProperties.dpi,
        colorSpace: page.imageProperties.colorSpace,
        format: page.imageProperties.format,
        size: page.imageProperties.size,
      }),
    preprocessing:
      page.preprocessing &&
      compact({
        enhanced: page.preprocessing.enhanced,
        deskewed: page.preprocessing.deskewed,
        denoised: page.preprocessing.denoised,
        binarized: page.preprocessing.binarized,
        rotationAngle: page.preprocessing.rotationAngle,
      }),
    ocrResults: page.ocrResults && {
      ...compact({
        text: page.ocrResults.text,
        confidence: page.ocrResults.confidence,
        truncated: page.ocrResults.truncated,
        language: page.ocrResults.language,
      }),
      ...(page.ocrResults.words && {
        words: page.ocrResults.words.map((word) =>
          compact({
            text: word.text,
            confidence: word.confidence,
            boundingBox: box(word.boundingBox),
          }),
        ),
      }),
      ...(page.ocrResults.blocks && {
        blocks: page.ocrResults.blocks.map((block) =>
          compact({
            text: block.text,
            confidence: block.confidence,
            boundingBox: box(block.boundingBox),
            blockType: block.blockType,
          }),
        ),
      }),
    },
    extractedFields: page.extractedFields && extractedFields(page.extractedFields as StoredFields),
    tableData: page.tableData?.map((cell) =>
      compact({
        rowIndex: cell.rowIndex,
        columnIndex: cell.columnIndex,
        cellText: cell.cellText,
        confidence: cell.confidence,
        boundingBox: box(cell.boundingBox),
      }),
    ),
    processingTime: page.processingTime,
    startedAt: isoDate(page.startedAt),
    completedAt: isoDate(page.completedAt),
    errorLog: page.errorLog,
    retryCount: page.retryCount,
    qualityScore: page.qualityScore,
    extractionChecks: page.extractionChecks?.map((check) =>
      compact({
        name: check.name,
        passed: check.passed,
        detail: check.detail,
        fields: check.fields,
      }),
    ),
    review:
      page.review &&
      compact({
        status: page.review.status,
        reasons: page.review.reasons,
        reviewedAt: isoDate(page.review.reviewedAt),
        reviewedBy: page.review.reviewedBy,
      }),
    eInvoice: page.eInvoice && {
      fileName: page.eInvoice.fileName,
      syntax: page.eInvoice.syntax,
      lineItems: page.eInvoice.lineItems.map((item) => compact({ ...item })),
    },
    annotations: page.annotations?.map((item) => compact(annotation(item))),
    metadata: page.metadata,
    createdAt: isoDate(page.createdAt),
    updatedAt: isoDate(page.updatedAt),
  });
}
