import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';

/** Standard Webhooks secrets: `whsec_` and the base64 of the signing key. */
const SECRET_PREFIX = 'whsec_';
/** 32 random bytes: the HMAC-SHA256 key length. */
const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** A message id for the `webhook-id` header, unique per event and webhook. */
export function generateMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/** The message id of an event with a stable id for one webhook: the same on every call. */
export function messageIdForEvent(eventId: string, type: string, webhookId: string): string {
  const digest = createHash('sha256').update(`${eventId}\n${type}\n${webhookId}`).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` under the secret's key, made by the
 * specification's reference library so that receivers can verify with any of its ports.
 */
export function signDelivery(
  secret: string,
  messageId: string,
  at: Date,
  body: string,
): SignedHeaders {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new StandardWebhook(secret).sign(messageId, at, body),
  };
}
