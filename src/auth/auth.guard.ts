import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { JwtClaims } from './auth-user';
import { IS_PUBLIC, ROLES_KEY } from './decorators';
import { Role } from './role.enum';

/** Global guard: every route needs a valid bearer token unless @Public(); @Roles() narrows further. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest();
    const header: unknown = req.headers?.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
    if (!match) throw new UnauthorizedException('Missing bearer token');
    let claims: JwtClaims;
    try {
      claims = this.jwt.verify<JwtClaims>(match[1]);
    } catch (e) {
      throw new UnauthorizedException((e as Error).name === 'TokenExpiredError' ? 'Token expired' : 'Invalid token');
    }
    req.user = { id: claims.sub, username: claims.username, role: claims.role, workstationId: claims.ws ?? null };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(claims.role)) throw new ForbiddenException('Not allowed for your role');
    return true;
  }
}
