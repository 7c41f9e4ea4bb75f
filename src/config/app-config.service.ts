import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from './env.validation';

/** Typed access to the validated configuration. */
@Injectable()
export class AppConfigService {
  private readonly values: AppConfig;

  constructor(config: ConfigService) {
    this.values = config.getOrThrow<AppConfig>('app');
  }

  get<K extends keyof AppConfig>(key: K): AppConfig[K] {
    return this.values[key];
  }
}
