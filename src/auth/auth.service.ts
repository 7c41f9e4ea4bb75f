import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { toUserView, UsersService } from '../users/users.service';
import { UserView } from '../users/user.dto';
import { AuthUser, JwtClaims } from './auth-user';
import { PasswordHasher } from './password-hasher';

@Injectable()
export class AuthService {
  // Verified when the username is unknown, so that a wrong username costs as much as a wrong password.
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
  ) {}

  async login(username: string, password: string): Promise<{ accessToken: string; user: UserView }> {
    const user = await this.users.findForLogin(username);
    if (!user) {
      this.dummyHash ??= this.hasher.hash('not-a-real-password');
      await this.hasher.verify(await this.dummyHash, password);
      throw new UnauthorizedException('Wrong username or password');
    }
    if (!(await this.hasher.verify(user.passwordHash, password))) throw new UnauthorizedException('Wrong username or password');
    const claims: JwtClaims = { sub: user.id, username: user.username, role: user.role, ws: user.workstationId };
    return { accessToken: this.jwt.sign(claims), user: toUserView(user) };
  }

  async me(actor: AuthUser): Promise<UserView> {
    const user = await this.users.findById(actor.id);
    if (!user || !user.active) throw new UnauthorizedException('Account no longer active');
    return toUserView(user);
  }
}
