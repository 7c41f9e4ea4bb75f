import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { AppConfigService } from './app-config.service';
import { validateEnv } from './env.validation';

export const APP_CONFIG_NAMESPACE = 'app';

@Global()
@Module({})
export class AppConfigModule {
  /**
   * Validates the environment once, when the app starts, and fails with one line naming each bad
   * setting. `overrides` lets tests start several apps in one process with different settings.
   */
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    const appConfig = registerAs(APP_CONFIG_NAMESPACE, () => validateEnv({ ...process.env, ...overrides }));
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] })],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
