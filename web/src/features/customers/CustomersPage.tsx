import { lazy, Suspense } from 'react';
import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { NAV } from '../../app/nav.tsx';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { LookupsProvider } from './lookups.tsx';
import { CustomerListPage } from './list/CustomerListPage.tsx';
import { CustomerProfilePage } from './profile/CustomerProfilePage.tsx';
import { MergeReviewPage } from './reviews/MergeReviewPage.tsx';

const ImportsPage = lazy(() => import('../imports/ImportsPage.tsx'));

/** The customers area: list and profiles, merge review, and data imports, as tabs. */
export default function CustomersPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const sections = (NAV.find((e) => e.key === 'customers')?.sections ?? []).filter((s) => !s.permission || can(s.permission));
  const segment = location.pathname.split('/')[2] ?? '';
  const active = sections.find((s) => s.path !== '' && s.path === segment)?.name ?? 'list';
  const allowed = (name: string) => sections.some((s) => s.name === name);
  return (
    <LookupsProvider>
      <div data-testid="customers-area">
        <Tabs
          activeKey={active}
          onChange={(name) => navigate(`/customers/${sections.find((s) => s.name === name)?.path ?? ''}`)}
          items={sections.map((s) => ({ key: s.name, label: <span data-testid={`customers-tab-${s.name}`}>{t(s.labelKey)}</span> }))}
          style={{ marginTop: -8 }}
        />
        <Suspense fallback={<FullPageSpin />}>
          <Routes>
            <Route index element={<CustomerListPage />} />
            <Route path="reviews" element={<MergeReviewPage />} />
            <Route path="imports" element={allowed('imports') ? <ImportsPage /> : <Navigate to="/customers" replace />} />
            <Route path=":customerId" element={<CustomerProfilePage />} />
            <Route path="*" element={<Navigate to="/customers" replace />} />
          </Routes>
        </Suspense>
      </div>
    </LookupsProvider>
  );
}
