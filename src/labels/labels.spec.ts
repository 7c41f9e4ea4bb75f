import { IMMEDIATE_NOTIFICATION_KIND_CODES, REMINDER_KIND_CODES } from '../common/case-codes';
import { ImmediateNotificationKind, ReminderKind } from '../reminders/reminder-kinds';
import { Label, REMINDER_KIND } from './labels';

// The labels read the reminder codes from src/common/case-codes.ts (labels stand below the
// reminders); these checks keep that list equal to the reminders' own enums.
const everyKindLabelled: Record<ReminderKind | ImmediateNotificationKind, Label> = REMINDER_KIND;

describe('labels of the reminder kinds', () => {
  it('name exactly the values of ReminderKind and ImmediateNotificationKind', () => {
    expect([...REMINDER_KIND_CODES].sort()).toEqual(Object.values(ReminderKind).sort());
    expect([...IMMEDIATE_NOTIFICATION_KIND_CODES].sort()).toEqual(Object.values(ImmediateNotificationKind).sort());
    expect(Object.keys(everyKindLabelled).sort()).toEqual([...Object.values(ReminderKind), ...Object.values(ImmediateNotificationKind)].sort());
  });
});
