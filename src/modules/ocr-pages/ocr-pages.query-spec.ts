/** Fields a client may sort the page list by (API.md, "List query parameters"). */
export const OCR_PAGE_SORT_FIELDS = [
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
] as const;
