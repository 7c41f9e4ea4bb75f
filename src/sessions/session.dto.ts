import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsInstant, Trim } from '../common/dto/validators';
import { VersionedDto } from '../cases/dto/case-actions.dto';
import { SESSION_MODES } from '../common/case-codes';

export { SESSION_MODES };
export const SESSION_OUTCOMES = ['held', 'cancelled', 'no_show'] as const;

export class ScheduleSessionDto extends VersionedDto {
  @IsInstant() scheduledAt: string;
  @ApiProperty({ enum: SESSION_MODES, example: 'onsite' }) @IsIn(SESSION_MODES) mode: (typeof SESSION_MODES)[number];
  @ApiPropertyOptional({ example: '江岸区总工会三楼调解室', minLength: 1, maxLength: 300 }) @IsOptional() @Trim() @IsString() @Length(1, 300) location?: string;
}

export class UpdateSessionDto extends VersionedDto {
  @ApiPropertyOptional({ enum: SESSION_OUTCOMES, description: 'held (the first held session starts mediation), cancelled or no_show; only while scheduled' }) @IsOptional() @IsIn(SESSION_OUTCOMES) status?: (typeof SESSION_OUTCOMES)[number];
  @ApiPropertyOptional({ minLength: 1, maxLength: 10000, example: '双方到场，用人单位同意分期支付' }) @IsOptional() @Trim() @IsString() @Length(1, 10000) notes?: string;
  @IsInstant({ optional: true, description: 'move the session (only while it is scheduled)' }) scheduledAt?: string;
}
