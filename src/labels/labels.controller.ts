import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../accounts-core/decorators';
import { LABELS } from './labels';

@ApiTags('labels')
@Controller('labels')
export class LabelsController {
  @Get()
  @Public()
  @ApiOperation({
    summary: 'Chinese and English labels of every code',
    description: '所有代码（案件状态、来源、争议类型、操作、事件、提醒等）的中文（法定用语）与英文名称：{ group: { code: { zh, en } } }。Public: no personal data.',
    security: [],
  })
  @ApiOkResponse({
    description: '{ [group]: { [code]: { zh, en } } }',
    schema: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object', required: ['zh', 'en'], properties: { zh: { type: 'string' }, en: { type: 'string' } } } } },
  })
  labels() {
    return LABELS;
  }
}
