import type { KeyboardEvent, ReactNode } from 'react';

/** One tab of a tab list. */
export interface TabItem<K extends string> {
  key: K;
  label: string;
  /** A count or a short flag beside the label. */
  badge?: ReactNode;
}

/** The ids linking a tab to its panel (WAI-ARIA tabs pattern). */
function ids(base: string, key: string): { tab: string; panel: string } {
  return { tab: `${base}-tab-${key}`, panel: `${base}-panel-${key}` };
}

/**
 * A row of tabs (WAI-ARIA tabs: arrow keys, Home and End move between them, the selected one is the
 * only stop of Tab). It scrolls sideways on narrow screens rather than wrapping.
 */
export function Tabs<K extends string>({
  items,
  active,
  onChange,
  label,
  idBase,
}: {
  items: readonly TabItem<K>[];
  active: K;
  onChange: (key: K) => void;
  label: string;
  idBase: string;
}) {
  const move = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = items.length - 1;
    const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const next = items[(target + items.length) % items.length];
    if (!next) return;
    onChange(next.key);
    document.getElementById(ids(idBase, next.key).tab)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {items.map((item, index) => {
        const selected = item.key === active;
        const { tab, panel } = ids(idBase, item.key);
        return (
          <button
            key={item.key}
            type="button"
            role="tab"
            id={tab}
            aria-selected={selected}
            aria-controls={panel}
            tabIndex={selected ? 0 : -1}
            className={selected ? 'tab active' : 'tab'}
            onClick={() => onChange(item.key)}
            onKeyDown={(e) => move(e, index)}
            data-testid={`tab-${item.key}`}
          >
            {item.label}
            {item.badge}
          </button>
        );
      })}
    </div>
  );
}

/** The panel of the selected tab; only the selected one is rendered, so hidden tabs ask the API for nothing. */
export function TabPanel({ idBase, tabKey, children }: { idBase: string; tabKey: string; children: ReactNode }) {
  const { tab, panel } = ids(idBase, tabKey);
  return (
    <div role="tabpanel" id={panel} aria-labelledby={tab} className="tab-panel" data-testid={`tab-panel-${tabKey}`}>
      {children}
    </div>
  );
}
