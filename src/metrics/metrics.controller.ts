import { Controller, ForbiddenException, Get, Header, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../accounts-core/decorators';
import { AppConfigService } from '../config/app-config.service';
import { mayScrape, parseNetworks } from '../common/network-access';
import { MetricsService } from './metrics.service';

/** `GET /metrics` in the Prometheus text format (outside the API prefix, not in the OpenAPI document). */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly networks;
  private readonly token;

  constructor(
    private readonly metrics: MetricsService,
    config: AppConfigService,
  ) {
    this.networks = parseNetworks(config.get('METRICS_ALLOW_NETWORKS'));
    this.token = config.get('METRICS_TOKEN');
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    if (!mayScrape(req.raw.socket.remoteAddress, req.headers.authorization, this.networks, this.token)) {
      throw new ForbiddenException('Metrics are open to the configured networks or with METRICS_TOKEN');
    }
    res.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
