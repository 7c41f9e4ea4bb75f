import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * Observes every request's latency under its route template (`/api/v1/cases/:id`, never the id
 * itself, so that the label set stays small); requests no route matched count as `unmatched`.
 * A Fastify `onResponse` hook: it also sees answers written to the Node response directly.
 */
@Injectable()
export class HttpMetricsHook {
  constructor(private readonly metrics: MetricsService) {}

  register(fastify: FastifyInstance): void {
    const histogram = this.metrics.httpDuration;
    fastify.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const route = req.is404 ? undefined : req.routeOptions.url;
      histogram.observe({ method: req.method, route: route ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });
  }
}
