import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import Redis from 'ioredis';
import { Public } from '../accounts-core/decorators';
import { REDIS } from '../redis/redis.module';
import { LivenessDto } from './health.response';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @ApiOperation({ summary: 'Liveness', description: 'The process answers (no dependency is checked). Outside the /api/v1 prefix.\n\n存活检查。', security: [] })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL and Redis both answer within a second; 503 otherwise. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: PostgreSQL and Redis',
    description: 'Both PostgreSQL and Redis answer within a second (200), or not (503, with the failing one under `error`). Outside the /api/v1 prefix.\n\n就绪检查（数据库与 Redis）。',
    security: [],
  })
  ready() {
    return this.health.check([() => this.db.pingCheck('postgres', { timeout: 1000 }), () => this.pingRedis()]);
  }

  private async pingRedis() {
    const check = this.indicator.check('redis');
    try {
      const pong = await Promise.race([
        this.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref()),
      ]);
      return pong === 'PONG' ? check.up() : check.down({ message: String(pong) });
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }
}
