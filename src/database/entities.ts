import { Agreement, Installment } from '../case-core/agreement.entity';
import { CaseEvent } from '../case-core/case-event.entity';
import { Case } from '../case-core/case.entity';
import { Confirmation } from '../case-core/confirmation.entity';
import { Consultation } from '../consultations/consultation.entity';
import { Holiday } from '../holidays/holiday.entity';
import { Notification } from '../notifications/notification.entity';
import { Reminder } from '../reminders/reminder.entity';
import { CaseSession } from '../case-core/session.entity';
import { User } from '../users/user.entity';
import { Workstation } from '../workstations/workstation.entity';

export const ENTITIES = [Workstation, User, Case, CaseEvent, CaseSession, Agreement, Installment, Confirmation, Reminder, Notification, Consultation, Holiday];
