import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryBoolean, QueryInt } from '../common/dto/validators';

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: 'only the unread ones', enum: ['true', 'false'] }) @IsOptional() @QueryBoolean() @IsBoolean({ message: 'unread must be true or false' }) unread?: boolean;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) pageSize?: number;
}

export class NotificationView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ example: 'mediation_deadline', description: 'the reminder kind, or case_assigned / confirmation_requested / confirmation_ruled' }) kind: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ example: 'WH01-2026-000123', nullable: true, type: String }) caseNumber: string | null;
  @ApiProperty({ example: '案件 WH01-2026-000123 的调解期限将于 2026-12-01 24:00 届满，请抓紧调解。' }) message: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'the deadline the notification is about' }) dueAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: Date | null;
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationView] }) items: NotificationView[];
  @ApiProperty({ type: 'integer', minimum: 0 }) total: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 }) pageSize: number;
}

export class ReadAllResult {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'how many notifications were marked read' }) updated: number;
}
