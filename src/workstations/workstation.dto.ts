import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class CreateWorkstationDto {
  @ApiProperty({ example: 'WH-JA', pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$', description: 'prefix of the case numbers' })
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,31}$/, { message: 'code must be 2-32 characters of A-Z, 0-9 and -' })
  code: string;

  @ApiProperty({ example: '江岸区劳动争议诉调对接工作室' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ example: '江岸区人民法院' }) @IsString() @Length(1, 200) court: string;
  @ApiProperty({ example: '江岸区总工会' }) @IsString() @Length(1, 200) union: string;
  @ApiProperty({ example: '湖北省武汉市江岸区' }) @IsString() @Length(1, 200) region: string;
}
