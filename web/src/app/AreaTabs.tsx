import { Tabs } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from './auth/useAuth.ts';
import { NAV, type NavSection } from './nav.tsx';

/** The sections of an area (nav.tsx) the signed-in user may open. */
export function useAreaSections(area: string): readonly NavSection[] {
  const { can } = useSession();
  return (NAV.find((e) => e.key === area)?.sections ?? []).filter((s) => !s.permission || can(s.permission));
}

/** The section whose path is the first segment of `pathname` below the area, else `fallback`. */
export function sectionAt(sections: readonly NavSection[], pathname: string, fallback: string): string {
  const segment = pathname.split('/')[2] ?? '';
  return sections.find((s) => s.path !== '' && s.path === segment)?.name ?? fallback;
}

/** An area's sections as tabs above its pages (test ids `<area>-tab-<section>`). */
export function AreaTabs({ area, sections, active }: { area: string; sections: readonly NavSection[]; active: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const base = NAV.find((e) => e.key === area)?.path ?? area;
  return (
    <Tabs
      activeKey={active}
      onChange={(name) => navigate(`/${base}/${sections.find((s) => s.name === name)?.path ?? ''}`)}
      items={sections.map((s) => ({ key: s.name, label: <span data-testid={`${area}-tab-${s.name}`}>{t(s.labelKey)}</span> }))}
      style={{ marginTop: -8 }}
    />
  );
}
