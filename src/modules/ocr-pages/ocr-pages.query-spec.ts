import { defineQuerySpec } from '../../common/query/query-spec.js';
import {
  AnnotationType,
  ColorSpace,
  ImageFormat,
  PageStatus,
  PageType,
  ReviewStatus,
} from './ocr-page.enums.js';

const values = (e: Record<string, string>) => Object.values(e);

/**
 * What the page list lets clients filter, search, sort and select (API.md, "List query
 * parameters"). One line per field: adding a queryable field is adding a line here.
 */
export const OCR_PAGE_QUERY_SPEC = defineQuerySpec({
  fields: {
    job: { type: 'objectId', filter: true, sort: true },
    pageNumber: { type: 'integer', filter: true, sort: true },
    status: { type: 'enum', values: values(PageStatus), filter: true, sort: true },
    pageType: { type: 'enum', values: values(PageType), filter: true, sort: true },
    pageUrl: { type: 'string', filter: true, search: true },
    'imageProperties.width': { type: 'integer', filter: true },
    'imageProperties.height': { type: 'integer', filter: true },
    'imageProperties.dpi': { type: 'integer', filter: true },
    'imageProperties.colorSpace': { type: 'enum', values: values(ColorSpace), filter: true },
    'imageProperties.format': { type: 'enum', values: values(ImageFormat), filter: true },
    'imageProperties.size': { type: 'integer', filter: true },
    'preprocessing.enhanced': { type: 'boolean', filter: true },
    'preprocessing.deskewed': { type: 'boolean', filter: true },
    'preprocessing.denoised': { type: 'boolean', filter: true },
    'preprocessing.binarized': { type: 'boolean', filter: true },
    'preprocessing.rotationAngle': { type: 'number', filter: true },
    'ocrResults.confidence': { type: 'number', filter: true, sort: true },
    'ocrResults.text': { type: 'string', search: true },
    qualityScore: { type: 'number', filter: true, sort: true },
    retryCount: { type: 'integer', filter: true, sort: true },
    processingTime: { type: 'integer', filter: true, sort: true },
    startedAt: { type: 'date', filter: true, sort: true },
    completedAt: { type: 'date', filter: true, sort: true },
    createdAt: { type: 'date', filter: true, sort: true },
    updatedAt: { type: 'date', filter: true, sort: true },
    errorLog: { type: 'string', search: true },
    // Filter only: the contract fixes the list's sort fields.
    'review.status': { type: 'enum', values: values(ReviewStatus), filter: true },
    'annotations.type': { type: 'enum', values: values(AnnotationType), filter: true },
    'annotations.createdBy': { type: 'string', filter: true },
    'annotations.text': { type: 'string', search: true },
  },
  openMaps: ['extractedFields', 'metadata'],
  selectable: [
    '_id',
    'job',
    'pageNumber',
    'pageUrl',
    'status',
    'pageType',
    'imageProperties',
    'preprocessing',
    'ocrResults',
    'extractedFields',
    'tableData',
    'processingTime',
    'startedAt',
    'completedAt',
    'errorLog',
    'retryCount',
    'qualityScore',
    'extractionChecks',
    'review',
    'annotations',
    'metadata',
    'createdAt',
    'updatedAt',
  ],
  defaultSort: 'createdAt',
});
