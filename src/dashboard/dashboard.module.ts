import { Module } from '@nestjs/common';
import { DashboardAssets } from './dashboard-assets';
import { DashboardController } from './dashboard.controller';

/** The union's web dashboard at /dashboard: a static page on the statistics and case API. */
@Module({ controllers: [DashboardController], providers: [DashboardAssets] })
export class DashboardModule {}
