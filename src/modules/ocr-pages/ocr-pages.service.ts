import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/http/app-error.js';
import { ErrorCode } from '../../common/http/error-code.js';
import { etagForRevision, type IfMatch } from '../../common/http/etag.js';
import { SortOrder } from '../../common/pagination/sort-order.js';
import type { CreateOcrPageDto } from './dto/create-ocr-page.dto.js';
import type { ListOcrPagesQueryDto } from './dto/list-ocr-pages.query.dto.js';
import type { UpdateOcrPageDto } from './dto/update-ocr-page.dto.js';
import { newPageFrom, patchChange, replaceChange } from './ocr-page.changes.js';
import { OCR_PAGE_SORT_FIELDS } from './ocr-pages.query-spec.js';
import {
  OcrPagesRepository,
  type OcrPageChange,
  type OcrPageRecord,
} from './ocr-pages.repository.js';

const PAGE_NOT_FOUND = 'OCR invoice job page not found';
/**
 * A write without If-Match retries its compare-and-set when another write lands between its read
 * and its update; this bounds the retries under heavy contention on one page.
 */
const MAX_WRITE_ATTEMPTS = 5;

export function etagOf(page: Pick<OcrPageRecord, 'revision'>): string {
  return etagForRevision(page.revision);
}

@Injectable()
export class OcrPagesService {
  constructor(private readonly pages: OcrPagesRepository) {}

  create(dto: CreateOcrPageDto): Promise<OcrPageRecord> {
    return this.pages.create(newPageFrom(dto, new Date()));
  }

  async findById(id: string): Promise<OcrPageRecord> {
    const page = await this.pages.findById(id);
    if (!page) {
      throw AppError.notFound(PAGE_NOT_FOUND);
    }
    return page;
  }

  async list(query: ListOcrPagesQueryDto): Promise<{ items: OcrPageRecord[]; total: number }> {
    if (!(OCR_PAGE_SORT_FIELDS as readonly string[]).includes(query.sort)) {
      throw new AppError(
        ErrorCode.INVALID_FILTER,
        `sort must be one of: ${OCR_PAGE_SORT_FIELDS.join(', ')}`,
        [{ field: 'sort', message: `sort must be one of: ${OCR_PAGE_SORT_FIELDS.join(', ')}` }],
      );
    }
    const direction = query.order === SortOrder.Asc ? 1 : -1;
    return this.pages.list({
      filter: {},
      sort: { [query.sort]: direction, _id: direction },
      skip: query.offset,
      limit: query.limit,
    });
  }

  replace(id: string, dto: CreateOcrPageDto, ifMatch?: IfMatch): Promise<OcrPageRecord> {
    return this.writeIfCurrent(id, ifMatch, (current) => replaceChange(current, dto, new Date()));
  }

  update(id: string, dto: UpdateOcrPageDto, ifMatch?: IfMatch): Promise<OcrPageRecord> {
    return this.writeIfCurrent(id, ifMatch, (current) => patchChange(current, dto, new Date()));
  }

  async remove(id: string, ifMatch?: IfMatch): Promise<OcrPageRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.currentMatching(id, ifMatch);
      // The revision matched, so what was deleted is exactly the page read.
      if (await this.pages.deleteAtRevision(id, current.revision)) {
        return current;
      }
    }
    throw AppError.conflict('The page is being changed by other requests; try again');
  }

  /**
   * Optimistic compare-and-set: read the page, check If-Match against it, then write only if it
   * is still at the revision read. If another write landed in between, start over: with If-Match
   * the client's tag is now stale (412); without, the change is recomputed on the new state.
   */
  private async writeIfCurrent(
    id: string,
    ifMatch: IfMatch | undefined,
    changeFor: (current: OcrPageRecord) => OcrPageChange | undefined,
  ): Promise<OcrPageRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.currentMatching(id, ifMatch);
      const change = changeFor(current);
      if (!change) {
        return current;
      }
      const updated = await this.pages.updateAtRevision(id, current.revision, change);
      if (updated) {
        return updated;
      }
    }
    throw AppError.conflict('The page is being changed by other requests; try again');
  }

  private async currentMatching(id: string, ifMatch: IfMatch | undefined): Promise<OcrPageRecord> {
    const current = await this.findById(id);
    if (ifMatch && !ifMatch.matches(etagOf(current))) {
      throw AppError.preconditionFailed();
    }
    return current;
  }
}
