import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators';

/** The old dashboard address leads to the web application at `/`. */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  @Get()
  page(@Res() res: FastifyReply): void {
    void res.redirect('/', 301);
  }

  @Get('{*path}')
  rest(@Res() res: FastifyReply): void {
    void res.redirect('/', 301);
  }
}
