import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Cursor paging of a list (API.md "Lists"): the cursors of the pages seen so far, to go back. */
export interface CursorPages {
  cursor: string | undefined;
  page: number;
  reset(): void;
  previous(): void;
  next(cursor: string): void;
}

/** Keeps the cursors of the pages a user has walked through. */
export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    reset: () => setCursors([undefined]),
    previous: () => setCursors(cursors.slice(0, -1)),
    next: (cursor) => setCursors([...cursors, cursor]),
  };
}

/** The page number with previous / next buttons under a list. */
export function Pager({ pages, nextCursor, busy }: { pages: CursorPages; nextCursor: string | null | undefined; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="pager">
      <span className="muted">{t('common.page', { page: pages.page })}</span>
      <button type="button" className="button button-small" disabled={pages.page <= 1 || busy} onClick={pages.previous}>
        {t('common.previous')}
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={!nextCursor || busy}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        {t('common.next')}
      </button>
    </div>
  );
}
