import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router-dom';
import { ChangePasswordPage } from '../auth/ChangePasswordPage';
import { MfaEnrolPage } from '../auth/MfaEnrolPage';
import { SignInPage } from '../auth/SignInPage';
import { useSession, useSignedIn } from '../auth/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Feedback';
import { AuditPage } from '../features/audit/AuditPage';
import { CaseListPage } from '../features/cases/CaseListPage';
import { CasePage } from '../features/cases/CasePage';
import { CasePrintPage } from '../features/cases/CasePrintPage';
import { RegistrationPage } from '../features/cases/RegistrationPage';
import { SchedulePage } from '../features/credit/SchedulePage';
import { KpisPage } from '../features/kpis/KpisPage';
import { LoanWatchPage } from '../features/credit/LoanWatchPage';
import { CustomerSearchPage } from '../features/customers/CustomerSearchPage';
import { LeadDetailPage } from '../features/leads/LeadDetailPage';
import { LeadFormPage } from '../features/leads/LeadFormPage';
import { LeadInboxPage } from '../features/leads/LeadInboxPage';
import { PartnersPage } from '../features/partners/PartnersPage';
import { StaffAdminPage } from '../features/staff/StaffAdminPage';
import { ApprovalsPage } from '../features/services/ApprovalsPage';
import { NewServiceRequestPage } from '../features/services/NewServiceRequestPage';
import { ServiceRequestsPage } from '../features/services/ServiceRequestsPage';
import { ServiceTypesPage } from '../features/services/ServiceTypesPage';
import { MyWorkPage } from '../features/work/MyWorkPage';
import { NotificationsPage } from '../features/communication/NotificationsPage';
import { AgreementsPage } from '../features/teams/AgreementsPage';
import { BreakGlassReviewPage } from '../features/teams/BreakGlassReviewPage';
import { ForbiddenPage, NotFoundPage } from '../pages/ErrorPages';
import { HomePage } from '../pages/HomePage';
import { AppLayout } from './AppLayout';
import { canSee, type Permission } from './access';

// The customer page carries ECharts; it is loaded only when a customer is opened.
const WorkloadPage = lazy(() => import('../features/teams/WorkloadPage').then((m) => ({ default: m.WorkloadPage })));
const IncidentsPage = lazy(() => import('../features/procedures/IncidentsPage').then((m) => ({ default: m.IncidentsPage })));
const IncidentPage = lazy(() => import('../features/procedures/IncidentPage').then((m) => ({ default: m.IncidentPage })));
const TrainingPage = lazy(() => import('../features/training/TrainingPage').then((m) => ({ default: m.TrainingPage })));
const BatchesPage = lazy(() => import('../features/transactions/BatchesPage').then((m) => ({ default: m.BatchesPage })));
const AlertsPage = lazy(() => import('../features/alerts/AlertsPage').then((m) => ({ default: m.AlertsPage })));
const AlertPage = lazy(() => import('../features/alerts/AlertPage').then((m) => ({ default: m.AlertPage })));
const RulesPage = lazy(() => import('../features/rules/RulesPage').then((m) => ({ default: m.RulesPage })));
const ApiClientsPage = lazy(() => import('../features/clients/ApiClientsPage').then((m) => ({ default: m.ApiClientsPage })));
const ServiceRequestPage = lazy(() => import('../features/services/ServiceRequestPage').then((m) => ({ default: m.ServiceRequestPage })));
const ServiceRequestPrintPage = lazy(() =>
  import('../features/services/ServiceRequestPrintPage').then((m) => ({ default: m.ServiceRequestPrintPage })),
);
const CustomerPage = lazy(() => import('../features/customers/CustomerPage').then((m) => ({ default: m.CustomerPage })));
const RestructuringPage = lazy(() => import('../features/credit/RestructuringPage').then((m) => ({ default: m.RestructuringPage })));
const WealthPlanPage = lazy(() => import('../features/services/WealthPlanPage').then((m) => ({ default: m.WealthPlanPage })));

function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { user } = useSignedIn();
  return canSee(user.roles, permission) ? children : <ForbiddenPage />;
}

/** The whole app: the sign-in steps until the session is complete, then the routed pages. */
export function App() {
  const { t } = useTranslation();
  const { session, loadError, retry } = useSession();

  if (session === undefined) {
    return (
      <main className="auth-screen">
        {loadError ? (
          <ErrorNotice error={loadError}>
            <button type="button" className="button" onClick={retry}>
              {t('common.retry')}
            </button>
          </ErrorNotice>
        ) : (
          <Loading />
        )}
      </main>
    );
  }
  // The URL is kept through the sign-in steps, so the user lands where they meant to go.
  if (session === null) return <SignInPage />;
  if (session.mfaEnrolmentRequired) return <MfaEnrolPage />;
  if (session.mustChangePassword) return <ChangePasswordPage />;

  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route
          path="kpis"
          element={
            <Guard permission="kpis.read">
              <KpisPage />
            </Guard>
          }
        />
        <Route
          path="credit/schedule"
          element={
            <Guard permission="credit.preview">
              <SchedulePage />
            </Guard>
          }
        />
        <Route
          path="credit/watch"
          element={
            <Guard permission="credit.watch">
              <LoanWatchPage />
            </Guard>
          }
        />
        <Route
          path="customers"
          element={
            <Guard permission="customer.read">
              <CustomerSearchPage />
            </Guard>
          }
        />
        <Route
          path="customers/:id"
          element={
            <Guard permission="customer.read">
              <Suspense fallback={<Loading />}>
                <CustomerPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="incidents"
          element={
            <Guard permission="incident.read">
              <Suspense fallback={<Loading />}>
                <IncidentsPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="incidents/:id"
          element={
            <Guard permission="incident.read">
              <Suspense fallback={<Loading />}>
                <IncidentPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="training"
          element={
            <Guard permission="training.read">
              <Suspense fallback={<Loading />}>
                <TrainingPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="notifications"
          element={
            <Guard permission="communication.use">
              <NotificationsPage />
            </Guard>
          }
        />
        <Route
          path="teams/workload"
          element={
            <Guard permission="team.assign">
              <Suspense fallback={<Loading />}>
                <WorkloadPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="break-glass"
          element={
            <Guard permission="breakglass.review">
              <BreakGlassReviewPage />
            </Guard>
          }
        />
        <Route
          path="admin/agreements"
          element={
            <Guard permission="agreement.admin">
              <AgreementsPage />
            </Guard>
          }
        />
        <Route path="leads/new" element={<LeadFormPage />} />
        <Route
          path="leads"
          element={
            <Guard permission="lead.read">
              <LeadInboxPage />
            </Guard>
          }
        />
        <Route
          path="leads/:id"
          element={
            <Guard permission="lead.read">
              <LeadDetailPage />
            </Guard>
          }
        />
        <Route
          path="leads/:id/register"
          element={
            <Guard permission="case.register">
              <RegistrationPage />
            </Guard>
          }
        />
        <Route
          path="work"
          element={
            <Guard permission="work.do">
              <MyWorkPage />
            </Guard>
          }
        />
        <Route
          path="cases"
          element={
            <Guard permission="case.read">
              <CaseListPage />
            </Guard>
          }
        />
        <Route
          path="cases/:id"
          element={
            <Guard permission="case.read">
              <CasePage />
            </Guard>
          }
        />
        <Route
          path="cases/:id/restructuring"
          element={
            <Guard permission="credit.preview">
              <Suspense fallback={<Loading />}>
                <RestructuringPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="cases/:id/wealth-plan"
          element={
            <Guard permission="service.request">
              <Suspense fallback={<Loading />}>
                <WealthPlanPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="cases/:id/print"
          element={
            <Guard permission="case.read">
              <CasePrintPage />
            </Guard>
          }
        />
        <Route
          path="cases/:id/services/new"
          element={
            <Guard permission="service.request">
              <NewServiceRequestPage />
            </Guard>
          }
        />
        <Route
          path="services"
          element={
            <Guard permission="case.read">
              <ServiceRequestsPage />
            </Guard>
          }
        />
        <Route
          path="services/approvals"
          element={
            <Guard permission="service.decide">
              <ApprovalsPage />
            </Guard>
          }
        />
        <Route
          path="admin/service-types"
          element={
            <Guard permission="service.admin">
              <ServiceTypesPage />
            </Guard>
          }
        />
        <Route
          path="service-requests/:id"
          element={
            <Guard permission="service.read">
              <Suspense fallback={<Loading />}>
                <ServiceRequestPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="service-requests/:id/print"
          element={
            <Guard permission="service.read">
              <Suspense fallback={<Loading />}>
                <ServiceRequestPrintPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="admin/partners"
          element={
            <Guard permission="partner.admin">
              <PartnersPage />
            </Guard>
          }
        />
        <Route
          path="admin/staff"
          element={
            <Guard permission="staff.admin">
              <StaffAdminPage />
            </Guard>
          }
        />
        <Route
          path="audit"
          element={
            <Guard permission="audit.read">
              <AuditPage />
            </Guard>
          }
        />
        <Route
          path="transactions/batches"
          element={
            <Guard permission="transactions.read">
              <Suspense fallback={<Loading />}>
                <BatchesPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="alerts"
          element={
            <Guard permission="alert.read">
              <Suspense fallback={<Loading />}>
                <AlertsPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="alerts/:id"
          element={
            <Guard permission="alert.read">
              <Suspense fallback={<Loading />}>
                <AlertPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="analysis/rules"
          element={
            <Guard permission="rules.read">
              <Suspense fallback={<Loading />}>
                <RulesPage />
              </Suspense>
            </Guard>
          }
        />
        <Route
          path="admin/api-clients"
          element={
            <Guard permission="apiclient.admin">
              <Suspense fallback={<Loading />}>
                <ApiClientsPage />
              </Suspense>
            </Guard>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
