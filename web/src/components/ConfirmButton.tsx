import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A button for a consequential action that asks once more, inline, before it acts. */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  disabled = false,
  danger = false,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={danger ? 'button button-danger-outline' : 'button'}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm-inline">
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className={danger ? 'button button-danger' : 'button button-primary'}
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {t('common.confirm')}
      </button>
      <button type="button" className="button button-ghost" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
