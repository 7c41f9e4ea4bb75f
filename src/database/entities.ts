import { Agreement, Installment } from '../agreements/agreement.entity';
import { CaseEvent } from '../cases/entities/case-event.entity';
import { Case } from '../cases/entities/case.entity';
import { Confirmation } from '../confirmations/confirmation.entity';
import { Consultation } from '../consultations/consultation.entity';
import { Holiday } from '../holidays/holiday.entity';
import { Notification } from '../notifications/notification.entity';
import { Reminder } from '../reminders/reminder.entity';
import { CaseSession } from '../sessions/session.entity';
import { User } from '../users/user.entity';
import { Workstation } from '../workstations/workstation.entity';

export const ENTITIES = [Workstation, User, Case, CaseEvent, CaseSession, Agreement, Installment, Confirmation, Reminder, Notification, Consultation, Holiday];
