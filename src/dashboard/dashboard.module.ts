import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/**
 * The web application (web/, served at `/` by `webAppHook` in bootstrap) and the redirect of
 * the old /dashboard address to it.
 */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
