// Every migration, in order. Add new ones here (they are loaded by class, so the same list
// works for the compiled app, the CLI and the tests).
import { Init1764000000000 } from './1764000000000-Init';
import { StatsSnapshots1764000300000 } from './1764000300000-StatsSnapshots';
import { ReminderDelivery1764000400000 } from './1764000400000-ReminderDelivery';
import { StatsMonthlyRollups1764000550000 } from './1764000550000-StatsMonthlyRollups';
import { StatsMediatorSnapshots1764000560000 } from './1764000560000-StatsMediatorSnapshots';
import { StatsTruncateReset1764000570000 } from './1764000570000-StatsTruncateReset';
import { CaseListCounts1764000600000 } from './1764000600000-CaseListCounts';
import { OutboxIndexes1764000700000 } from './1764000700000-OutboxIndexes';
import { CourtPaths1764100000000 } from './1764100000000-CourtPaths';
import { AccountsRevocation1764200000000 } from './1764200000000-AccountsRevocation';
import { AuditLog1764200100000 } from './1764200100000-AuditLog';
import { ServiceAccounts1764200200000 } from './1764200200000-ServiceAccounts';
import { Retention1764200300000 } from './1764200300000-Retention';
import { Webhooks1764300000000 } from './1764300000000-Webhooks';
import { IdempotencyKeys1764300100000 } from './1764300100000-IdempotencyKeys';
import { Attachments1764400000000 } from './1764400000000-Attachments';
import { CaseSearchBigrams1764500000000 } from './1764500000000-CaseSearchBigrams';
import { ReminderJobGroups1764600000000 } from './1764600000000-ReminderJobGroups';
import { StatsWorkstationSnapshots1764700000000 } from './1764700000000-StatsWorkstationSnapshots';
import { CaseListIndexes1764800000000 } from './1764800000000-CaseListIndexes';

export const MIGRATIONS = [
  Init1764000000000,
  StatsSnapshots1764000300000,
  ReminderDelivery1764000400000,
  StatsMonthlyRollups1764000550000,
  StatsMediatorSnapshots1764000560000,
  StatsTruncateReset1764000570000,
  CaseListCounts1764000600000,
  OutboxIndexes1764000700000,
  CourtPaths1764100000000,
  AccountsRevocation1764200000000,
  AuditLog1764200100000,
  ServiceAccounts1764200200000,
  Retention1764200300000,
  Webhooks1764300000000,
  IdempotencyKeys1764300100000,
  Attachments1764400000000,
  CaseSearchBigrams1764500000000,
  ReminderJobGroups1764600000000,
  StatsWorkstationSnapshots1764700000000,
  CaseListIndexes1764800000000,
];
