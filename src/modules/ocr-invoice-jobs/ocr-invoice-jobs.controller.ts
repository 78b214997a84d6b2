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
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyAuth } from '../../common/auth/auth.decorators.js';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator.js';
import { DataEnvelopeDto, ListEnvelopeDto } from '../../common/http/envelope.dto.js';
import { ok, okList, type DataEnvelope, type ListEnvelope } from '../../common/http/envelope.js';
import { IfMatch } from '../../common/http/etag.js';
import {
  ApiIfMatchHeader,
  ApiObjectIdParam,
  ApiRequiredScope,
  createdHeaders,
  etagHeader,
} from '../../common/http/resource-docs.decorators.js';
import { setCreatedLocation, single } from '../../common/http/single.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import {
  invoiceCsvFile,
  invoiceUblFile,
  MISSING_TERMS_HEADER,
  type InvoiceFile,
} from '../invoice-export/invoice-export.js';
import { OcrPageResponseDto } from '../ocr-pages/dto/ocr-page.response.dto.js';
import { toOcrPageResponse } from '../ocr-pages/ocr-page.mapper.js';
import { CreateOcrInvoiceJobDto } from './dto/create-ocr-invoice-job.dto.js';
import { InvoiceExportQueryDto, InvoiceFormat } from './dto/invoice-export.query.dto.js';
import { ListJobPagesQueryDto } from './dto/list-job-pages.query.dto.js';
import { ListOcrInvoiceJobsQueryDto } from './dto/list-ocr-invoice-jobs.query.dto.js';
import { OcrInvoiceJobResponseDto } from './dto/ocr-invoice-job.response.dto.js';
import { InvoiceFieldDto, OcrInvoiceResponseDto } from './dto/ocr-invoice.response.dto.js';
import { UpdateOcrInvoiceJobDto } from './dto/update-ocr-invoice-job.dto.js';
import { toOcrInvoiceJobResponse } from './ocr-invoice-job.mapper.js';
import { OcrInvoiceJobsService } from './ocr-invoice-jobs.service.js';

const JobEnvelope = DataEnvelopeDto(OcrInvoiceJobResponseDto, 'OcrInvoiceJobResponse', [
  '_id',
  'pageCount',
  'status',
  'pageCounts',
  'createdAt',
  'updatedAt',
]);
const JobListEnvelope = ListEnvelopeDto(OcrInvoiceJobResponseDto, 'OcrInvoiceJobListResponse');
const JobPageListEnvelope = ListEnvelopeDto(OcrPageResponseDto, 'OcrInvoiceJobPageListResponse');
const InvoiceEnvelope = DataEnvelopeDto(OcrInvoiceResponseDto, 'OcrInvoiceResponse');

const JOB = 'job';
const JOB_ID = ApiObjectIdParam('OCR invoice job');

@ApiTags('OCR Invoice Jobs')
@ApiKeyAuth()
@ApiExtraModels(InvoiceFieldDto, InvoiceEnvelope)
@Controller({ path: 'ocr-invoice-jobs', version: '1' })
export class OcrInvoiceJobsController {
  constructor(private readonly jobs: OcrInvoiceJobsService) {}

  @Get()
  @ApiRequiredScope('read')
  @ApiOperation({
    operationId: 'listOcrInvoiceJobs',
    summary: 'List OCR invoice jobs',
    description:
      'The jobs matching `filter` and `search`, sorted and windowed by `offset`/`limit`, with their total count.',
  })
  @ApiOkResponse({ type: JobListEnvelope, description: 'The matching jobs and their total count.' })
  @ApiErrorResponses([400, 401, 403, 429, 500, 503])
  async list(
    @Query() query: ListOcrInvoiceJobsQueryDto,
  ): Promise<ListEnvelope<OcrInvoiceJobResponseDto>> {
    const { items, total } = await this.jobs.list(query);
    return okList(items.map(toOcrInvoiceJobResponse), total);
  }

  @Post()
  @ApiRequiredScope('write')
  @ApiOperation({
    operationId: 'createOcrInvoiceJob',
    summary: 'Create an OCR invoice job',
    description:
      'Send exactly one of `pageUrls` (the job and its pages, numbered from 1, are created at once) and `documentUrl` (a PDF, multi-page TIFF or image that a worker splits into pages; `pageCount` is null until then).',
  })
  @ApiCreatedResponse({
    type: JobEnvelope,
    description: 'The created job.',
    headers: createdHeaders(JOB),
  })
  @ApiErrorResponses([400, 401, 403, 413, 415, 429, 500, 503])
  async create(
    @Body() dto: CreateOcrInvoiceJobDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrInvoiceJobResponseDto>> {
    const job = await this.jobs.create(dto);
    setCreatedLocation(request, reply, String(job._id));
    return single(reply, job, toOcrInvoiceJobResponse);
  }

  @Get(':id')
  @ApiRequiredScope('read')
  @JOB_ID
  @ApiOperation({
    operationId: 'getOcrInvoiceJob',
    summary: 'Get an OCR invoice job',
    description: 'One job: its status, page count and page counts by status.',
  })
  @ApiOkResponse({ type: JobEnvelope, description: 'The job.', headers: etagHeader(JOB) })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503])
  async get(
    @Param('id', ParseObjectIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrInvoiceJobResponseDto>> {
    return single(reply, await this.jobs.findById(id), toOcrInvoiceJobResponse);
  }

  @Patch(':id')
  @ApiRequiredScope('write')
  @JOB_ID
  @ApiIfMatchHeader(JOB)
  @ApiOperation({
    operationId: 'updateOcrInvoiceJob',
    summary: 'Change the name or metadata of an OCR invoice job',
    description:
      'Changes the fields sent (`name`, `metadata`); a sub-object sent replaces the stored one whole. Honours `If-Match`.',
  })
  @ApiBody({ type: UpdateOcrInvoiceJobDto, description: 'The fields to change.' })
  @ApiOkResponse({ type: JobEnvelope, description: 'The updated job.', headers: etagHeader(JOB) })
  @ApiErrorResponses([400, 401, 403, 404, 412, 413, 415, 429, 500, 503])
  async update(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: UpdateOcrInvoiceJobDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrInvoiceJobResponseDto>> {
    const job = await this.jobs.update(id, dto, IfMatch.parse(ifMatch));
    return single(reply, job, toOcrInvoiceJobResponse);
  }

  @Delete(':id')
  @ApiRequiredScope('write')
  @HttpCode(HttpStatus.OK)
  @JOB_ID
  @ApiIfMatchHeader(JOB)
  @ApiOperation({
    operationId: 'deleteOcrInvoiceJob',
    summary: 'Delete an OCR invoice job and its pages',
    description: 'The response carries the deleted job. Its pages are deleted with it.',
  })
  @ApiOkResponse({ type: JobEnvelope, description: 'The deleted job.', headers: etagHeader(JOB) })
  @ApiErrorResponses([400, 401, 403, 404, 409, 412, 429, 500, 503])
  async remove(
    @Param('id', ParseObjectIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrInvoiceJobResponseDto>> {
    const job = await this.jobs.remove(id, IfMatch.parse(ifMatch));
    return single(reply, job, toOcrInvoiceJobResponse);
  }

  @Get(':id/pages')
  @ApiRequiredScope('read')
  @JOB_ID
  @ApiOperation({
    operationId: 'listOcrInvoiceJobPages',
    summary: "List an OCR invoice job's pages",
    description: 'The pages list, within one job, in page order unless `sort` says otherwise.',
  })
  @ApiOkResponse({ type: JobPageListEnvelope, description: "The job's matching pages." })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503])
  async pages(
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: ListJobPagesQueryDto,
  ): Promise<ListEnvelope<OcrPageResponseDto>> {
    const { items, total } = await this.jobs.listPages(id, query);
    return okList(items.map(toOcrPageResponse), total);
  }

  @Get(':id/invoice')
  @ApiRequiredScope('read')
  @JOB_ID
  @ApiOperation({
    operationId: 'getOcrInvoice',
    summary: 'Get the invoice assembled from a job’s pages',
    description:
      'Also for a job id that only has pages (created through the pages API). Fields (a corrected value wins over the reading), line items stitched across pages, and checks over the whole document; `complete` is false while pages are unfinished. `format` picks the form: the JSON envelope, an RFC 4180 CSV file, or a UBL 2.1 Invoice whose missing EN 16931 business terms are listed in `X-Missing-Business-Terms`.',
  })
  @ApiProduces('application/json', 'text/csv', 'application/xml')
  @ApiOkResponse({
    description:
      'The assembled invoice: JSON (`format=json`), CSV (`format=csv`) or UBL 2.1 XML (`format=ubl`).',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(InvoiceEnvelope) } },
      'text/csv': {
        schema: {
          type: 'string',
          description:
            'A header row, then one row per line item with the invoice fields repeated (RFC 4180, CRLF).',
        },
      },
      'application/xml': {
        schema: { type: 'string', description: 'A UBL 2.1 Invoice document (EN 16931 elements).' },
      },
    },
    headers: {
      'Content-Disposition': {
        description: 'For csv and ubl: `attachment; filename="invoice-<id>.csv"` (or `.xml`).',
        schema: { type: 'string' },
      },
      [MISSING_TERMS_HEADER]: {
        description:
          'For ubl: the EN 16931 business terms the document could not fill, e.g. `BT-40, BT-55, BT-118`.',
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503])
  async invoice(
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: InvoiceExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataEnvelope<OcrInvoiceResponseDto> | string> {
    const invoice = { jobId: id, ...(await this.jobs.invoice(id)) };
    switch (query.format) {
      case InvoiceFormat.Json:
        return ok(invoice);
      case InvoiceFormat.Csv:
        return sendFile(reply, invoiceCsvFile(invoice));
      case InvoiceFormat.Ubl:
        return sendFile(reply, invoiceUblFile(invoice));
    }
  }
}

/** Answers with a file: its media type, a download name, its extra headers; the body as text. */
function sendFile(reply: FastifyReply, file: InvoiceFile): string {
  reply
    .header('Content-Type', file.contentType)
    .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
    .headers(file.headers);
  return file.body;
}
