import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../../common/auth/actor.js';
import { ApiKeyAuth } from '../../common/auth/auth.decorators.js';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator.js';
import { DataEnvelopeDto, ListEnvelopeDto } from '../../common/http/envelope.dto.js';
import { okList, type DataEnvelope, type ListEnvelope } from '../../common/http/envelope.js';
import { IfMatch } from '../../common/http/etag.js';
import {
  ApiIfMatchHeader,
  ApiObjectIdParam,
  ApiRequiredScope,
  createdHeaders,
  etagHeader,
} from '../../common/http/resource-docs.decorators.js';
import { setCreatedLocation, single } from '../../common/http/single.js';
import { ListConcurrencyInterceptor } from '../../common/query/list-concurrency.interceptor.js';
import { assertListFits } from '../../common/query/list-response-size.js';
import type { Environment } from '../../config/index.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { CreateOcrPageDto } from './dto/create-ocr-page.dto.js';
import { ListOcrPagesQueryDto } from './dto/list-ocr-pages.query.dto.js';
import { OcrPageResponseDto } from './dto/ocr-page.response.dto.js';
import { UpdateOcrPageDto } from './dto/update-ocr-page.dto.js';
import { PageHistoryEventDto } from './dto/page-history.dto.js';
import { CorrectFieldsDto, PageHistoryQueryDto, ReviewPageDto } from './dto/page-review.dto.js';
import { toPageHistoryEvent } from './history/page-history.mapper.js';
import { toOcrPageResponse } from './ocr-page.mapper.js';
import { OcrPagesService } from './ocr-pages.service.js';
import { PageReviewService } from './review/page-review.service.js';

export const OCR_PAGES_PATH = 'ocr-invoice-job-pages';

const OcrPageEnvelope = DataEnvelopeDto(OcrPageResponseDto, 'OcrPageResponse', [
  '_id',
  'job',
  'pageNumber',
  'pageUrl',
  'status',
  'pageType',
  'createdAt',
  'updatedAt',
]);
const OcrPageListEnvelope = ListEnvelopeDto(OcrPageResponseDto, 'OcrPageListResponse');
const PageHistoryListEnvelope = ListEnvelopeDto(PageHistoryEventDto, 'PageHistoryListResponse');

const PAGE = 'page';

@ApiTags('OCR Invoice Job Pages')
@ApiKeyAuth()
@Controller({ path: OCR_PAGES_PATH, version: '1' })
export class OcrPagesController {
  private readonly maxListBytes: number;

  constructor(
    private readonly pages: OcrPagesService,
    private readonly reviews: PageReviewService,
    config: ConfigService<Environment, true>,
  ) {
    this.maxListBytes = config.get('LIST_MAX_RESPONSE_BYTES', { infer: true });
  }

  @Get()
  @ApiRequiredScope('read')
  @ApiOperation({
    operationId: 'listOcrPages',
    summary: 'List OCR invoice job pages',
    description:
      'Retrieve a list of all OCR invoice job pages with optional filtering and pagination.',
  })
  @ApiOkResponse({
    type: OcrPageListEnvelope,
    description: 'The matching pages (sorted, windowed by `offset`/`limit`) and their total count.',
  })
  @ApiErrorResponses([400, 401, 403, 429, 500, 503], {
    400: '`VALIDATION_ERROR` or `INVALID_FILTER`: a parameter is invalid, or the pages asked for would make a response larger than the server answers with (`limit` is named: ask for fewer pages or fewer `fields`).',
    429: '`RATE_LIMITED`: too many requests, or too many list requests at once from this API key (or address); retry after the seconds in `Retry-After`.',
  })
  @UseInterceptors(ListConcurrencyInterceptor)
  async list(@Query() query: ListOcrPagesQueryDto): Promise<ListEnvelope<OcrPageResponseDto>> {
    const { items, total } = await this.pages.list(query);
    const data = items.map(toOcrPageResponse);
    assertListFits(data, this.maxListBytes);
    return okList(data, total);
  }

  @Post()
  @ApiRequiredScope('write')
  @ApiOperation({
    operationId: 'createOcrPage',
    summary: 'Create an OCR invoice job page',
    description:
      'Create a new OCR invoice job page with the provided data. The page starts as `pending`.',
  })
  @ApiCreatedResponse({
    type: OcrPageEnvelope,
    description: 'The created page.',
    headers: createdHeaders(PAGE),
  })
  @ApiErrorResponses([400, 401, 403, 409, 413, 415, 429, 500, 503], {
    409: '`CONFLICT`: a page with the same `(job, pageNumber)` already exists.',
  })
  async create(
    @Body() dto: CreateOcrPageDto,
    @Req() request: FastifyRequest,
    @CurrentActor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    const page = await this.pages.create(dto, actor);
    setCreatedLocation(request, reply, String(page._id));
    return single(reply, page, toOcrPageResponse);
  }

  @Get(':id')
  @ApiRequiredScope('read')
  @ApiObjectIdParam('OCR invoice job page')
  @ApiOperation({
    operationId: 'getOcrPage',
    summary: 'Get an OCR invoice job page',
    description: 'Retrieve a specific OCR invoice job page by its ID.',
  })
  @ApiOkResponse({ type: OcrPageEnvelope, description: 'The page.', headers: etagHeader(PAGE) })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503])
  async get(
    @Param('id', ParseObjectIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return single(reply, await this.pages.findById(id), toOcrPageResponse);
  }

  @Put(':id')
  @ApiRequiredScope('write')
  @ApiObjectIdParam('OCR invoice job page')
  @ApiIfMatchHeader(PAGE)
  @ApiOperation({
    operationId: 'replaceOcrPage',
    summary: 'Replace an OCR invoice job page',
    description:
      'Update an existing OCR invoice job page with new data. PUT replaces all writable fields: omitted optional fields are cleared. Changing `pageUrl` resets the page to `pending` and clears its processing output.',
  })
  @ApiBody({ type: CreateOcrPageDto, description: 'The new writable fields of the page.' })
  @ApiOkResponse({
    type: OcrPageEnvelope,
    description: 'The updated page.',
    headers: etagHeader(PAGE),
  })
  @ApiErrorResponses([400, 401, 403, 404, 409, 412, 413, 415, 429, 500, 503], {
    409: '`CONFLICT`: a page with the same `(job, pageNumber)` already exists.',
  })
  async replace(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: CreateOcrPageDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return single(
      reply,
      await this.pages.replace(id, dto, actor, IfMatch.parse(ifMatch)),
      toOcrPageResponse,
    );
  }

  @Patch(':id')
  @ApiRequiredScope('write')
  @ApiObjectIdParam('OCR invoice job page')
  @ApiIfMatchHeader(PAGE)
  @ApiOperation({
    operationId: 'updateOcrPage',
    summary: 'Partially update an OCR invoice job page',
    description:
      'Update some writable fields of an OCR invoice job page; fields not sent are left unchanged (a sub-object sent replaces the stored one whole). Changing `pageUrl` resets the page to `pending` and clears its processing output.',
  })
  @ApiBody({ type: UpdateOcrPageDto, description: 'The writable fields to change.' })
  @ApiOkResponse({
    type: OcrPageEnvelope,
    description: 'The updated page.',
    headers: etagHeader(PAGE),
  })
  @ApiErrorResponses([400, 401, 403, 404, 409, 412, 413, 415, 429, 500, 503], {
    409: '`CONFLICT`: a page with the same `(job, pageNumber)` already exists.',
  })
  async update(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: UpdateOcrPageDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return single(
      reply,
      await this.pages.update(id, dto, actor, IfMatch.parse(ifMatch)),
      toOcrPageResponse,
    );
  }

  @Delete(':id')
  @ApiRequiredScope('write')
  @HttpCode(HttpStatus.OK)
  @ApiObjectIdParam('OCR invoice job page')
  @ApiIfMatchHeader(PAGE)
  @ApiOperation({
    operationId: 'deleteOcrPage',
    summary: 'Delete an OCR invoice job page',
    description: 'Delete an OCR invoice job page. The response carries the deleted page.',
  })
  @ApiOkResponse({
    type: OcrPageEnvelope,
    description: 'The deleted page.',
    headers: etagHeader(PAGE),
  })
  @ApiErrorResponses([400, 401, 403, 404, 412, 429, 500, 503])
  async remove(
    @Param('id', ParseObjectIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return single(
      reply,
      await this.pages.remove(id, actor, IfMatch.parse(ifMatch)),
      toOcrPageResponse,
    );
  }

  @Post(':id/process')
  @ApiRequiredScope('write')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiObjectIdParam('OCR invoice job page')
  @ApiOperation({
    operationId: 'processOcrPage',
    summary: 'Queue an OCR invoice job page for processing',
    description:
      'Queue the page for OCR processing: its status becomes `pending` and a worker picks it up. A page that is already `processing` gets 409.',
  })
  @ApiAcceptedResponse({
    type: OcrPageEnvelope,
    description: 'The page, queued for processing (status `pending`).',
    headers: etagHeader(PAGE),
  })
  @ApiErrorResponses([400, 401, 403, 404, 409, 429, 500, 503], {
    409: '`CONFLICT`: the page is already `processing`.',
  })
  async process(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentActor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return single(reply, await this.pages.requeue(id, actor), toOcrPageResponse);
  }

  @Patch(':id/fields')
  @ApiRequiredScope('write')
  @ApiObjectIdParam('OCR invoice job page')
  @ApiIfMatchHeader(PAGE)
  @ApiOperation({
    operationId: 'correctOcrPageFields',
    summary: 'Correct extracted fields of an OCR invoice job page',
    description:
      'Set the values of some extracted fields: each becomes `{value, confidence: 1, source: "review", ocrValue, correctedAt, correctedBy}`; `null` removes the correction and restores the value read. Corrections survive reprocessing (only `ocrValue` follows the new reading) and are dropped when `pageUrl` changes. The extraction checks run again on the corrected values. Recorded in the history as `corrected`, and sent to webhooks as `page.corrected`.',
  })
  @ApiBody({ type: CorrectFieldsDto, description: 'The corrected values, and a comment.' })
  @ApiOkResponse({
    type: OcrPageEnvelope,
    description: 'The page with its corrected fields.',
    headers: etagHeader(PAGE),
  })
  @ApiErrorResponses([400, 401, 403, 404, 409, 412, 413, 415, 429, 500, 503], {
    400: '`VALIDATION_ERROR`: an unknown field name, or a value invalid for its field (`details` name them, e.g. `fields.invoiceDate`).',
    409: '`CONFLICT`: the page kept changing while the correction was applied; try again.',
  })
  async correctFields(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: CorrectFieldsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return single(
      reply,
      await this.reviews.correct(id, dto.fields, dto.comment, actor, IfMatch.parse(ifMatch)),
      toOcrPageResponse,
    );
  }

  @Post(':id/review')
  @ApiRequiredScope('write')
  @HttpCode(HttpStatus.OK)
  @ApiObjectIdParam('OCR invoice job page')
  @ApiIfMatchHeader(PAGE)
  @ApiOperation({
    operationId: 'reviewOcrPage',
    summary: 'Approve or reject a processed OCR invoice job page',
    description:
      "Record a reviewer's decision: `review.status` becomes `approved` or `rejected`, with `reviewedAt` and `reviewedBy`. Recorded in the history as `reviewed`. A page that was never processed has no review yet (409).",
  })
  @ApiBody({ type: ReviewPageDto, description: 'The decision, and a comment.' })
  @ApiOkResponse({
    type: OcrPageEnvelope,
    description: 'The page with its review.',
    headers: etagHeader(PAGE),
  })
  @ApiErrorResponses([400, 401, 403, 404, 409, 412, 413, 415, 429, 500, 503], {
    409: '`CONFLICT`: the page has not been processed yet (no review), or kept changing meanwhile.',
  })
  async review(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: ReviewPageDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return single(
      reply,
      await this.reviews.decide(id, dto.decision, dto.comment, actor, IfMatch.parse(ifMatch)),
      toOcrPageResponse,
    );
  }

  @Get(':id/history')
  @ApiRequiredScope('read')
  @ApiObjectIdParam('OCR invoice job page')
  @ApiOperation({
    operationId: 'listOcrPageHistory',
    summary: 'List the history of an OCR invoice job page',
    description:
      "The page's events, newest first: `created`, `updated`, `processed`, `failed`, `corrected`, `reviewed`, `deleted`, each with its time, actor, changed values and comment. The history of a deleted page stays readable for `HISTORY_RETENTION_DAYS`.",
  })
  @ApiOkResponse({
    type: PageHistoryListEnvelope,
    description: 'The events (windowed by `offset`/`limit`) and their total count.',
  })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503], {
    404: '`NOT_FOUND`: no such page, and no history kept for it.',
  })
  async history(
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: PageHistoryQueryDto,
  ): Promise<ListEnvelope<PageHistoryEventDto>> {
    const { items, total } = await this.reviews.historyOf(id, query.offset, query.limit);
    return okList(items.map(toPageHistoryEvent), total);
  }
}
