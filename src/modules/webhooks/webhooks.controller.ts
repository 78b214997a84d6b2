import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, RequireScope } from '../../common/auth/auth.decorators.js';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator.js';
import { ApiObjectIdParam, ApiRequiredScope } from '../../common/http/resource-docs.decorators.js';
import { DataEnvelopeDto, ListEnvelopeDto } from '../../common/http/envelope.dto.js';
import { ok, okList, type DataEnvelope, type ListEnvelope } from '../../common/http/envelope.js';
import { PaginationQueryDto } from '../../common/pagination/pagination-query.dto.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { CreateWebhookDto } from './dto/create-webhook.dto.js';
import {
  CreatedWebhookResponseDto,
  WebhookDeliveryResponseDto,
  WebhookResponseDto,
} from './dto/webhook.response.dto.js';
import {
  toCreatedWebhookResponse,
  toDeliveryResponse,
  toWebhookResponse,
} from './webhook.mapper.js';
import { WebhooksService } from './webhooks.service.js';

const WebhookEnvelope = DataEnvelopeDto(WebhookResponseDto, 'WebhookResponse');
const CreatedWebhookEnvelope = DataEnvelopeDto(CreatedWebhookResponseDto, 'CreatedWebhookResponse');
const WebhookListEnvelope = ListEnvelopeDto(WebhookResponseDto, 'WebhookListResponse');
const DeliveryListEnvelope = ListEnvelopeDto(
  WebhookDeliveryResponseDto,
  'WebhookDeliveryListResponse',
);

const WEBHOOK_ID_PARAM = ApiObjectIdParam('Webhook');

/** Webhooks are configuration of the whole service: every operation needs the `admin` scope. */
@ApiTags('Webhooks')
@ApiKeyAuth()
@RequireScope('admin')
@ApiRequiredScope('admin')
@Controller({ path: 'webhooks', version: '1' })
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events',
    description:
      'Registers a receiver for the events listed. The response carries the signing `secret`, shown only this once. Deliveries follow the Standard Webhooks convention (`webhook-id`, `webhook-timestamp`, `webhook-signature` headers).',
  })
  @ApiCreatedResponse({
    type: CreatedWebhookEnvelope,
    description: 'The webhook, with its secret.',
  })
  @ApiErrorResponses([400, 401, 403, 413, 415, 429, 500, 503])
  async create(@Body() dto: CreateWebhookDto): Promise<DataEnvelope<CreatedWebhookResponseDto>> {
    return ok(toCreatedWebhookResponse(await this.webhooks.create(dto)));
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhooks', summary: 'List webhooks (newest first)' })
  @ApiOkResponse({ type: WebhookListEnvelope, description: 'The webhooks, without secrets.' })
  @ApiErrorResponses([400, 401, 403, 429, 500, 503])
  async list(@Query() query: PaginationQueryDto): Promise<ListEnvelope<WebhookResponseDto>> {
    const { items, total } = await this.webhooks.list(query.offset, query.limit);
    return okList(items.map(toWebhookResponse), total);
  }

  @Get(':id')
  @WEBHOOK_ID_PARAM
  @ApiOperation({ operationId: 'getWebhook', summary: 'Get a webhook' })
  @ApiOkResponse({ type: WebhookEnvelope, description: 'The webhook, without its secret.' })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503])
  async get(@Param('id', ParseObjectIdPipe) id: string): Promise<DataEnvelope<WebhookResponseDto>> {
    return ok(toWebhookResponse(await this.webhooks.findById(id)));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.OK)
  @WEBHOOK_ID_PARAM
  @ApiOperation({
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook',
    description: 'Deletes the webhook and its deliveries; nothing more is sent to it.',
  })
  @ApiOkResponse({ type: WebhookEnvelope, description: 'The deleted webhook.' })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503])
  async remove(
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<DataEnvelope<WebhookResponseDto>> {
    return ok(toWebhookResponse(await this.webhooks.remove(id)));
  }

  @Get(':id/deliveries')
  @WEBHOOK_ID_PARAM
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: "List a webhook's deliveries (newest first)",
    description:
      'Each event sent (or being sent) to the webhook: its status, attempts, the last HTTP status and when the next attempt is due.',
  })
  @ApiOkResponse({ type: DeliveryListEnvelope, description: 'The deliveries.' })
  @ApiErrorResponses([400, 401, 403, 404, 429, 500, 503])
  async deliveries(
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: PaginationQueryDto,
  ): Promise<ListEnvelope<WebhookDeliveryResponseDto>> {
    const { items, total } = await this.webhooks.listDeliveries(id, query.offset, query.limit);
    return okList(items.map(toDeliveryResponse), total);
  }
}
