import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser } from '../accounts-core/decorators';
import { ApiErrors } from '../common/openapi/api-errors';
import { ApiUuidParam } from '../common/openapi/api-params';
import { ListNotificationsQuery, NotificationPage, NotificationView, ReadAllResult } from './notification.dto';
import { NotificationsService } from './notifications.service';

/** Every signed-in user sees and reads only their own notifications. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    summary: 'My notifications',
    description: 'Your own notifications (reminders and case events), newest first; `unread=true` for the unread ones.\n\n我的通知（提醒与案件动态），最新在前。',
  })
  @ApiOkResponse({ type: NotificationPage })
  @ApiErrors(400, 401)
  list(@CurrentUser() user: AuthUser, @Query() query: ListNotificationsQuery) {
    return this.notifications.list(user, query);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notifications read', description: 'Marks every unread notification of yours read and says how many.\n\n全部标为已读。' })
  @ApiOkResponse({ type: ReadAllResult })
  @ApiErrors(401)
  readAll(@CurrentUser() user: AuthUser) {
    return this.notifications.markAllRead(user);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiUuidParam('id', 'the notification id')
  @ApiOperation({
    summary: 'Mark a notification read',
    description: 'Marks one of your notifications read (again: no change) and answers it; 404 for one that is not yours.\n\n标记一条通知为已读。',
  })
  @ApiOkResponse({ type: NotificationView })
  @ApiErrors(400, 401, 404)
  read(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe({ version: undefined })) id: string) {
    return this.notifications.markRead(user, id);
  }
}
