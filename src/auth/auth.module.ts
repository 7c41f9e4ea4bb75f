import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfigService } from '../config/app-config.service';
import { UsersModule } from '../users/users.module';
import { AccountStateRepository } from '../accounts-core/account-state.repository';
import { AccountStateService } from '../accounts-core/account-state.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginLimiter } from './login-limiter';

@Global()
@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      global: true,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => {
        // A KeyObject made once: given the string, jsonwebtoken first tries to parse it as a
        // public key on every verify, and that failed parse cost ~0.4 ms of CPU per request.
        const key = createSecretKey(Buffer.from(config.get('JWT_SECRET')));
        return {
          secretOrKeyProvider: () => key,
          signOptions: { expiresIn: toSeconds(config.get('JWT_EXPIRES_IN')), algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AccountStateService, AccountStateRepository, LoginLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AccountStateService],
})
export class AuthModule {}

function toSeconds(spec: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(spec)!;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
}
