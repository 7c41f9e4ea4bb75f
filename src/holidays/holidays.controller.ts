import { Body, Controller, Get, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { invalidInput } from '../common/errors/domain-error';
import { ApiErrors } from '../common/openapi/api-errors';
import { HolidayYearDto, ReplaceHolidaysDto } from './holidays.dto';
import { HolidaysService } from './holidays.service';

const checkYear = (year: number) => {
  if (year < 2000 || year > 2100) throw invalidInput('year must be between 2000 and 2100', { field: 'year' }, '年份应在 2000 至 2100 之间');
  return year;
};

@ApiTags('holidays')
@ApiBearerAuth()
@Controller('holidays')
export class HolidaysController {
  constructor(private readonly holidays: HolidaysService) {}

  @Get()
  @ApiOperation({ summary: 'The holiday calendar of a year', description: '国务院放假安排：放假日（holiday）与调休上班日（workday）。法院期间的最后一日为休息日或法定节假日的，顺延至其后第一个工作日。' })
  @ApiQuery({ name: 'year', required: true, example: 2026 })
  @ApiOkResponse({ type: HolidayYearDto })
  @ApiErrors(400, 401)
  list(@Query('year', ParseIntPipe) year: number) {
    return this.holidays.list(checkYear(year));
  }

  @Put(':year')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Replace the holiday calendar of a year (admin)', description: '以国务院办公厅当年发布的放假安排替换该年的放假日与调休上班日。' })
  @ApiOkResponse({ type: HolidayYearDto })
  @ApiErrors(400, 401, 403)
  replace(@Param('year', ParseIntPipe) year: number, @Body() dto: ReplaceHolidaysDto) {
    return this.holidays.replaceYear(checkYear(year), dto.days);
  }
}
