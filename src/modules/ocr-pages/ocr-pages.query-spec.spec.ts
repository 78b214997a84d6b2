import { searchableFields, sortableFields, type QuerySpec } from '../../common/query/query-spec.js';
import { OCR_PAGE_QUERY_SPEC } from './ocr-pages.query-spec.js';

describe('the page spec', () => {
  it('sorts by exactly the fields API.md lists', () => {
    expect(sortableFields(OCR_PAGE_QUERY_SPEC).sort()).toEqual(
      [
        'pageNumber',
        'status',
        'pageType',
        'createdAt',
        'updatedAt',
        'startedAt',
        'completedAt',
        'processingTime',
        'qualityScore',
        'retryCount',
        'ocrResults.confidence',
        'job',
      ].sort(),
    );
  });

  it('searches exactly the fields API.md lists, in declaration order', () => {
    expect(searchableFields(OCR_PAGE_QUERY_SPEC)).toEqual([
      'pageUrl',
      'ocrResults.text',
      'errorLog',
      'annotations.text',
    ]);
  });

  it('filters exactly the fields API.md lists, plus its two open maps and the review status', () => {
    const fields: QuerySpec['fields'] = OCR_PAGE_QUERY_SPEC.fields;
    const filterable = Object.entries(fields)
      .filter(([, field]) => field.filter)
      .map(([path]) => path);
    expect(filterable.sort()).toEqual(
      [
        'job',
        'pageNumber',
        'status',
        'pageType',
        'pageUrl',
        'imageProperties.width',
        'imageProperties.height',
        'imageProperties.dpi',
        'imageProperties.colorSpace',
        'imageProperties.format',
        'imageProperties.size',
        'preprocessing.enhanced',
        'preprocessing.deskewed',
        'preprocessing.denoised',
        'preprocessing.binarized',
        'preprocessing.rotationAngle',
        'ocrResults.confidence',
        'qualityScore',
        'retryCount',
        'processingTime',
        'startedAt',
        'completedAt',
        'createdAt',
        'updatedAt',
        'annotations.type',
        'annotations.createdBy',
        'review.status',
      ].sort(),
    );
    expect([...OCR_PAGE_QUERY_SPEC.openMaps].sort()).toEqual(['extractedFields', 'metadata']);
  });

  it('defaults to sorting by createdAt', () => {
    expect(OCR_PAGE_QUERY_SPEC.defaultSort).toBe('createdAt');
  });

  it('lets _id and every top-level page field be selected', () => {
    expect(OCR_PAGE_QUERY_SPEC.selectable).toContain('_id');
    expect(OCR_PAGE_QUERY_SPEC.selectable.every((name) => !name.includes('.'))).toBe(true);
  });
});
