import { createHmac } from 'node:crypto';
import { canonicalJson } from '../idempotency/request-fingerprint';
import { WEBHOOK_EVENT_BY_TIMELINE_EVENT, WEBHOOK_EVENT_TYPES, webhookEventFor } from './webhook-events';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature';

describe('webhook events', () => {
  it('publishes every event of DESIGN.md from some timeline event, and nothing else', () => {
    expect(new Set(Object.values(WEBHOOK_EVENT_BY_TIMELINE_EVENT))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
    expect(webhookEventFor('case_registered')).toBe('case.registered');
    expect(webhookEventFor('mediator_reassigned')).toBe('case.assigned');
    expect(webhookEventFor('case_failed')).toBe('case.failed');
    expect(webhookEventFor('confirmation_rejected')).toBe('confirmation.ruled');
    expect(webhookEventFor('note_added')).toBeUndefined();
    expect(webhookEventFor('constructor')).toBeUndefined();
  });
});

describe('webhook signature', () => {
  const body = JSON.stringify({ id: 'e1', type: 'case.failed', occurredAt: '2026-11-28T01:00:00.000Z', data: { handOff: 'returned_to_court' } });

  it('is sha256= and the hex HMAC-SHA256 of the raw body under the secret', () => {
    expect(signWebhookBody('s3cret-0123456789', body)).toBe(`sha256=${createHmac('sha256', 's3cret-0123456789').update(body).digest('hex')}`);
  });

  it('verifies only the exact body under the right secret', () => {
    const sig = signWebhookBody('s3cret-0123456789', body);
    expect(verifyWebhookSignature('s3cret-0123456789', body, sig)).toBe(true);
    expect(verifyWebhookSignature('s3cret-0123456789', Buffer.from(body), sig)).toBe(true);
    expect(verifyWebhookSignature('other-secret-0123', body, sig)).toBe(false);
    expect(verifyWebhookSignature('s3cret-0123456789', body.replace('failed', 'concluded'), sig)).toBe(false);
    expect(verifyWebhookSignature('s3cret-0123456789', body, undefined)).toBe(false);
    expect(verifyWebhookSignature('s3cret-0123456789', body, 'sha256=00')).toBe(false);
  });
});

describe('idempotency request fingerprint', () => {
  it('does not depend on the order of keys, but on every value', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });
});
