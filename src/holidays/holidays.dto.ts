import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Trim } from '../common/dto/validators';

export class HolidayDayDto {
  @ApiProperty({ example: '2026-10-01', description: 'calendar date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'day must be a date YYYY-MM-DD' })
  day: string;

  @ApiProperty({ enum: ['holiday', 'workday'], description: 'holiday: a day off (放假); workday: a weekend day that is a working day (调休上班)' })
  @IsIn(['holiday', 'workday'])
  kind: 'holiday' | 'workday';

  @ApiProperty({ example: '国庆节' }) @Trim() @IsString() @Length(1, 100) name: string;
}

export class ReplaceHolidaysDto {
  @ApiProperty({ type: [HolidayDayDto] })
  @IsArray()
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => HolidayDayDto)
  days: HolidayDayDto[];
}

export class HolidayYearDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ type: [HolidayDayDto] }) days: HolidayDayDto[];
}
