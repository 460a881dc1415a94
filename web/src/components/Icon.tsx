import type { NavEntry } from '../app/nav';

const PATHS: Record<NavEntry['icon'], string> = {
  home: 'M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z',
  customers: 'M10 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 10a7 7 0 0 1 14 0M16 3.5a4 4 0 0 1 0 7.5M21 21a6 6 0 0 0-3.5-5.5',
  staff: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-8 9a8 8 0 0 1 16 0M19 8l1.5 1.5L23 7',
  audit: 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7',
  leadNew: 'M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z',
  leads: 'M3 13h5l2 3h4l2-3h5M5 5h14l2 8v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-6z',
  cases: 'M4 7h16v13H4zM9 7V4h6v3M4 12h16M11 12v2h2v-2',
  partners: 'M4 21V7l8-4 8 4v14M9 21v-5h6v5M12 8v4M10 10h4',
  work: 'M9 11l2 2 4-4M4 4h16v16H4z',
  bell: 'M6 9a6 6 0 0 1 12 0c0 5 2 7 2 7H4s2-2 2-7M10 20a2 2 0 0 0 4 0',
};

/** A small line icon for a navigation entry; decorative, the label carries the meaning. */
export function Icon({ name }: { name: NavEntry['icon'] }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
