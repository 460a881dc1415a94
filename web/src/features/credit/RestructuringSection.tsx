import { useTranslation } from 'react-i18next';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatDay } from '../../i18n/format';
import { useRestructuring } from './api-credit';
import { BookingForm } from './EmergencyLoanSection';
import { RestructuringComparison } from './RestructuringComparison';

const BOOKABLE = new Set(['approved', 'in_progress', 'completed']);

/** A restructuring request's own section: the old and new schedules, whether the customer signed, the booking. */
export function RestructuringSection({ requestId }: { requestId: string }) {
  const { t, i18n } = useTranslation();
  const { user } = useSignedIn();
  const view = useRestructuring(requestId, true);
  if (view.isPending) return <Loading />;
  const v = view.data;
  if (!v) return <ErrorNotice error={view.error} />;
  return (
    <section className="card" data-testid="restructuring-section">
      <h2 className="card-title">{t('credit.restructuring.title')}</h2>
      <p className={v.signed ? 'notice notice-info' : 'notice'}>
        {t(v.signed ? 'credit.restructuring.signed' : 'credit.restructuring.unsigned')}
      </p>
      <RestructuringComparison view={v} />
      <h3>{t('credit.loan.booking')}</h3>
      {v.booking ? (
        <p data-testid="restructuring-booking">
          {t('credit.loan.booked', { reference: v.booking.reference, day: formatDay(v.booking.bookedOn, i18n.language) })}
        </p>
      ) : (
        <p className="muted">
          {t(v.status !== null && BOOKABLE.has(v.status) ? 'credit.loan.awaitingBooking' : 'credit.loan.bookedAfterApproval')}
        </p>
      )}
      {!v.booking && v.status !== null && BOOKABLE.has(v.status) && hasPermission(user.roles, 'loan.book') && (
        <BookingForm requestId={requestId} queryKey={['credit', 'restructuring', requestId]} />
      )}
    </section>
  );
}
