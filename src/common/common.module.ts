import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

@Global()
@Module({})
export class CommonModule {
  /** `clock` replaces the system clock (the demo seed replays the past with it). */
  static forRoot(clock?: Clock): DynamicModule {
    return {
      module: CommonModule,
      providers: [clock ? { provide: Clock, useValue: clock } : { provide: Clock, useClass: SystemClock }],
      exports: [Clock],
    };
  }
}
