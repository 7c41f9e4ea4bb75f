import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role, ROLES } from '../accounts-core/role.enum';
import { Assert, Same } from '../common/openapi/same-shape';
import { UserView } from './user.dto';

/** A user as the API shows it: never a password or its hash. */
export class UserViewDto implements UserView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ example: 'zhang.wei' }) username: string;
  @ApiProperty({ example: '张伟' }) displayName: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role' }) role: Role;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for admins and city-level union staff' }) workstationId: string | null;
  @ApiProperty({ type: String, nullable: true, example: '13800000000' }) phone: string | null;
  @ApiProperty({ description: 'a deactivated user cannot sign in' }) active: boolean;
  @ApiPropertyOptional({
    enum: [true],
    description: 'present (true) only after an admin reset the password: only GET /auth/me, POST /auth/password and POST /auth/logout work until it is changed',
  })
  mustChangePassword?: true;
}

/** The class documents exactly the UserView that users.service.ts builds. */
export type UserViewDocumented = Assert<Same<UserView, UserViewDto>>;
