import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators';

/** The old dashboard address leads to the web application at `/`. */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  @Get()
  page(@Res() res: Response): void {
    res.redirect(301, '/');
  }

  @Get('{*path}')
  rest(@Res() res: Response): void {
    res.redirect(301, '/');
  }
}
