import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators';
import { ListNotificationsQuery, NotificationPage, NotificationView, ReadAllResult } from './notification.dto';
import { NotificationsService } from './notifications.service';

/** Every signed-in user sees and reads only their own notifications. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPage })
  list(@CurrentUser() user: AuthUser, @Query() query: ListNotificationsQuery) {
    return this.notifications.list(user, query);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadAllResult })
  readAll(@CurrentUser() user: AuthUser) {
    return this.notifications.markAllRead(user);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationView })
  read(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe({ version: undefined })) id: string) {
    return this.notifications.markRead(user, id);
  }
}
