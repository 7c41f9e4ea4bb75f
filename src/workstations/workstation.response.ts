import { ApiProperty } from '@nestjs/swagger';
import { Assert, Same } from '../common/openapi/same-shape';
import { Workstation } from './workstation.entity';

/** A workstation (工作室): the court and the union that run it together. */
export class WorkstationViewDto {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ example: 'WH-JA', description: 'prefix of the case numbers' }) code: string;
  @ApiProperty({ example: '江岸区劳动争议诉调对接工作室' }) name: string;
  @ApiProperty({ example: '江岸区人民法院' }) court: string;
  @ApiProperty({ example: '江岸区总工会' }) union: string;
  @ApiProperty({ example: '湖北省武汉市江岸区' }) region: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

/** The class documents exactly the entity the service answers with (a type error otherwise). */
export type WorkstationViewDocumented = Assert<Same<Workstation, WorkstationViewDto>>;
