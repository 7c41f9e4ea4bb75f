import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * The first answer under a key, to be sent again instead of running the handler: thrown by
 * IdempotencyGuard (a guard cannot answer by itself) and answered by IdempotentReplayFilter,
 * which @Idempotent() puts on the route. Not an error: nothing else catches it.
 */
export class IdempotentReplay {
  constructor(
    /** The route's success status. */
    readonly statusCode: number,
    /** The first answer's body as the handler returned it (undefined when it returned none). */
    readonly body: unknown,
  ) {}
}

/**
 * Sends a replayed answer as Nest would send a handler's: the route's status, `Idempotent-Replayed:
 * true`, and the body through Fastify's preSerialization hooks (the identity audit sees a replay
 * as it sees a first answer) and serializer.
 */
@Catch(IdempotentReplay)
export class IdempotentReplayFilter implements ExceptionFilter<IdempotentReplay> {
  catch(replay: IdempotentReplay, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.header('Idempotent-Replayed', 'true');
    reply.status(replay.statusCode);
    void reply.send(replay.body);
  }
}
