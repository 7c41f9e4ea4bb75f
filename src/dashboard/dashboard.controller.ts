import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../accounts-core/decorators';

/** The old dashboard address leads to the web application at `/`. */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  @Get()
  page(@Res() res: FastifyReply): void {
    void res.redirect('/', 301);
  }

  // Fastify's catch-all (find-my-way), not Express's named wildcard.
  @Get('*')
  rest(@Res() res: FastifyReply): void {
    void res.redirect('/', 301);
  }
}
