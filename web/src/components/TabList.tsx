import { onTabListKeyDown } from '../lib/tabs';

export interface TabSpec<K extends string> {
  key: K;
  /** The tab button's id: its panel is labelled by it. */
  id: string;
  label: string;
  /** The id of the panel it controls. */
  panelId: string;
  testId?: string;
}

/**
 * A WAI-ARIA tab list with automatic activation: arrow keys, Home and End move and select
 * (lib/tabs.ts); the selected tab is the only one in the tab order. The panel is the caller's
 * (`role="tabpanel"`, labelled by the selected tab's id).
 */
export function TabList<K extends string>({
  label,
  tabs,
  selected,
  onSelect,
}: {
  label: string;
  tabs: TabSpec<K>[];
  selected: K;
  onSelect: (key: K) => void;
}) {
  return (
    <div className="tabs" role="tablist" onKeyDown={onTabListKeyDown} aria-label={label}>
      {tabs.map((tab) => (
        <button
          key={tab.key}
          type="button"
          role="tab"
          id={tab.id}
          aria-selected={selected === tab.key}
          tabIndex={selected === tab.key ? 0 : -1}
          aria-controls={tab.panelId}
          onClick={() => onSelect(tab.key)}
          data-testid={tab.testId}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
