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
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiAcceptedResponse,
  ApiExtension,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiKeyAuth } from '../../common/auth/auth.decorators.js';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator.js';
import { DataEnvelopeDto, ListEnvelopeDto } from '../../common/http/envelope.dto.js';
import { ok, okList, type DataEnvelope, type ListEnvelope } from '../../common/http/envelope.js';
import { IfMatch } from '../../common/http/etag.js';
import { ListConcurrencyInterceptor } from '../../common/query/list-concurrency.interceptor.js';
import { assertListFits } from '../../common/query/list-response-size.js';
import type { Environment } from '../../config/index.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { CreateOcrPageDto } from './dto/create-ocr-page.dto.js';
import { ListOcrPagesQueryDto } from './dto/list-ocr-pages.query.dto.js';
import { OcrPageResponseDto } from './dto/ocr-page.response.dto.js';
import { UpdateOcrPageDto } from './dto/update-ocr-page.dto.js';
import { toOcrPageResponse } from './ocr-page.mapper.js';
import { etagOf, OcrPagesService } from './ocr-pages.service.js';
import type { OcrPageRecord } from './ocr-pages.repository.js';

/**
 * Documents the API-key scope an operation needs (the guard derives it from the method: `read`
 * for GET, `write` otherwise) as `x-required-scope`, since OpenAPI 3.0 gives scopes only to OAuth.
 * A `write` key may read too: writes answer with the page (see the security schemes).
 */
const RequiredScopeDoc = (scope: 'read' | 'write') => ApiExtension('x-required-scope', scope);

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

const ETAG_HEADER = {
  ETag: {
    description: "Entity tag of the page's current version; send it back in `If-Match`.",
    required: true,
    schema: { type: 'string' },
  },
};
const PAGE_ID_PARAM = ApiParam({
  name: 'id',
  description: 'OCR invoice job page ID (24-hex ObjectId). Anything else gets 400 `INVALID_ID`.',
  schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
});
const IF_MATCH_HEADER = ApiHeader({
  name: 'If-Match',
  required: false,
  description:
    'Optional precondition: the `ETag` of the page as last seen. On mismatch the request fails with 412 `PRECONDITION_FAILED` and nothing is changed.',
});

@ApiTags('OCR Invoice Job Pages')
@ApiKeyAuth()
@Controller({ path: OCR_PAGES_PATH, version: '1' })
export class OcrPagesController {
  private readonly maxListBytes: number;

  constructor(
    private readonly pages: OcrPagesService,
    config: ConfigService<Environment, true>,
  ) {
    this.maxListBytes = config.get('LIST_MAX_RESPONSE_BYTES', { infer: true });
  }

  @Get()
  @RequiredScopeDoc('read')
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
  @RequiredScopeDoc('write')
  @ApiOperation({
    operationId: 'createOcrPage',
    summary: 'Create an OCR invoice job page',
    description:
      'Create a new OCR invoice job page with the provided data. The page starts as `pending`.',
  })
  @ApiCreatedResponse({
    type: OcrPageEnvelope,
    description: 'The created page.',
    headers: {
      ...ETAG_HEADER,
      Location: { description: 'URL of the created page.', schema: { type: 'string' } },
    },
  })
  @ApiErrorResponses([400, 401, 403, 409, 413, 415, 429, 500, 503], {
    409: '`CONFLICT`: a page with the same `(job, pageNumber)` already exists.',
  })
  async create(
    @Body() dto: CreateOcrPageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    const page = await this.pages.create(dto);
    void reply.header('Location', `/api/v1/${OCR_PAGES_PATH}/${String(page._id)}`);
    return this.single(page, reply);
  }

  @Get(':id')
  @RequiredScopeDoc('read')
  @PAGE_ID_PARAM
  @ApiOperation({
    operationId: 'getOcrPage',
    summary: 'Get an OCR invoice job page',
    description: 'Retrieve a specific OCR invoice job page by its ID.',
  })
  @ApiOkResponse({ type: OcrPageEnvelope, description: 'The page.', headers: ETAG_HEADER })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503])
  async get(
    @Param('id', ParseObjectIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return this.single(await this.pages.findById(id), reply);
  }

  @Put(':id')
  @RequiredScopeDoc('write')
  @PAGE_ID_PARAM
  @IF_MATCH_HEADER
  @ApiOperation({
    operationId: 'replaceOcrPage',
    summary: 'Replace an OCR invoice job page',
    description:
      'Update an existing OCR invoice job page with new data. PUT replaces all writable fields: omitted optional fields are cleared. Changing `pageUrl` resets the page to `pending` and clears its processing output.',
  })
  @ApiBody({ type: CreateOcrPageDto, description: 'The new writable fields of the page.' })
  @ApiOkResponse({ type: OcrPageEnvelope, description: 'The updated page.', headers: ETAG_HEADER })
  @ApiErrorResponses([400, 401, 403, 404, 409, 412, 413, 415, 429, 500, 503], {
    409: '`CONFLICT`: a page with the same `(job, pageNumber)` already exists.',
  })
  async replace(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: CreateOcrPageDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return this.single(await this.pages.replace(id, dto, IfMatch.parse(ifMatch)), reply);
  }

  @Patch(':id')
  @RequiredScopeDoc('write')
  @PAGE_ID_PARAM
  @IF_MATCH_HEADER
  @ApiOperation({
    operationId: 'updateOcrPage',
    summary: 'Partially update an OCR invoice job page',
    description:
      'Update some writable fields of an OCR invoice job page; fields not sent are left unchanged (a sub-object sent replaces the stored one whole). Changing `pageUrl` resets the page to `pending` and clears its processing output.',
  })
  @ApiBody({ type: UpdateOcrPageDto, description: 'The writable fields to change.' })
  @ApiOkResponse({ type: OcrPageEnvelope, description: 'The updated page.', headers: ETAG_HEADER })
  @ApiErrorResponses([400, 401, 403, 404, 409, 412, 413, 415, 429, 500, 503], {
    409: '`CONFLICT`: a page with the same `(job, pageNumber)` already exists.',
  })
  async update(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: UpdateOcrPageDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return this.single(await this.pages.update(id, dto, IfMatch.parse(ifMatch)), reply);
  }

  @Delete(':id')
  @RequiredScopeDoc('write')
  @HttpCode(HttpStatus.OK)
  @PAGE_ID_PARAM
  @IF_MATCH_HEADER
  @ApiOperation({
    operationId: 'deleteOcrPage',
    summary: 'Delete an OCR invoice job page',
    description: 'Delete an OCR invoice job page. The response carries the deleted page.',
  })
  @ApiOkResponse({ type: OcrPageEnvelope, description: 'The deleted page.', headers: ETAG_HEADER })
  @ApiErrorResponses([400, 401, 403, 404, 412, 429, 500, 503])
  async remove(
    @Param('id', ParseObjectIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return this.single(await this.pages.remove(id, IfMatch.parse(ifMatch)), reply);
  }

  @Post(':id/process')
  @RequiredScopeDoc('write')
  @HttpCode(HttpStatus.ACCEPTED)
  @PAGE_ID_PARAM
  @ApiOperation({
    operationId: 'processOcrPage',
    summary: 'Queue an OCR invoice job page for processing',
    description:
      'Queue the page for OCR processing: its status becomes `pending` and a worker picks it up. A page that is already `processing` gets 409.',
  })
  @ApiAcceptedResponse({
    type: OcrPageEnvelope,
    description: 'The page, queued for processing (status `pending`).',
    headers: ETAG_HEADER,
  })
  @ApiErrorResponses([400, 401, 403, 404, 409, 429, 500, 503], {
    409: '`CONFLICT`: the page is already `processing`.',
  })
  async process(
    @Param('id', ParseObjectIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrPageResponseDto>> {
    return this.single(await this.pages.requeue(id), reply);
  }

  private single(page: OcrPageRecord, reply: FastifyReply): DataEnvelope<OcrPageResponseDto> {
    void reply.header('ETag', etagOf(page));
    return ok(toOcrPageResponse(page));
  }
}
