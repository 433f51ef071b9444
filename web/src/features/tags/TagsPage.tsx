import { lazy, Suspense } from 'react';
import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { NAV } from '../../app/nav.tsx';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { TagCatalogPage } from './TagCatalogPage.tsx';

const TagRulesPage = lazy(() => import('./rules/TagRulesPage.tsx'));

/** The tags area: the tag manager and the automatic tag rules, as tabs. */
export default function TagsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const sections = (NAV.find((e) => e.key === 'tags')?.sections ?? []).filter((s) => !s.permission || can(s.permission));
  const segment = location.pathname.split('/')[2] ?? '';
  const active = sections.find((s) => s.path !== '' && s.path === segment)?.name ?? 'catalog';
  return (
    <div data-testid="tags-area">
      <Tabs
        activeKey={active}
        onChange={(name) => navigate(`/tags/${sections.find((s) => s.name === name)?.path ?? ''}`)}
        items={sections.map((s) => ({ key: s.name, label: <span data-testid={`tags-tab-${s.name}`}>{t(s.labelKey)}</span> }))}
        style={{ marginTop: -8 }}
      />
      <Suspense fallback={<FullPageSpin />}>
        <Routes>
          <Route index element={<TagCatalogPage />} />
          <Route path="rules" element={<TagRulesPage />} />
          <Route path="*" element={<Navigate to="/tags" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}
