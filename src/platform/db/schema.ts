import type { AlertsTables } from './tables/alerts.js';
import type { AnalysisTables } from './tables/analysis.js';
import type { CaseAccessTables } from './tables/case-access.js';
import type { CasesTables } from './tables/cases.js';
import type { ClientsTables } from './tables/clients.js';
import type { CreditTables } from './tables/credit.js';
import type { CommunicationTables } from './tables/communication.js';
import type { CustomersTables } from './tables/customers.js';
import type { IngestionTables } from './tables/ingestion.js';
import type { LeadsTables } from './tables/leads.js';
import type { NotificationsTables } from './tables/notifications.js';
import type { PartnersTables } from './tables/partners.js';
import type { PlatformTables } from './tables/platform.js';
import type { ProceduresTables } from './tables/procedures.js';
import type { RiskTables } from './tables/risk.js';
import type { ServicesTables } from './tables/services.js';
import type { StaffTables } from './tables/staff.js';
import type { RulesTables } from './tables/rules.js';
import type { TrainingTables } from './tables/training.js';
import type { TransactionsTables } from './tables/transactions.js';
import type { WorkTables } from './tables/work.js';

/**
 * The tables of Lifeline as Kysely sees them, one file per owner in tables/: only the owner's
 * repositories name a table (docs/architecture.md; test/architecture checks it). Conventions:
 * instants are ISO-8601 UTC strings, dates `YYYY-MM-DD`, money integer minor units,
 * flags 0/1 integers, JSON documents text, sensitive values `*_enc` ciphertext.
 */
export interface Database
  extends PlatformTables,
    StaffTables,
    CustomersTables,
    TransactionsTables,
    PartnersTables,
    LeadsTables,
    CasesTables,
    CaseAccessTables,
    WorkTables,
    CommunicationTables,
    NotificationsTables,
    TrainingTables,
    AnalysisTables,
    RulesTables,
    CreditTables,
    IngestionTables,
    AlertsTables,
    ClientsTables,
    ServicesTables,
    ProceduresTables,
    RiskTables {}
