import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AreaTabs, sectionAt, useAreaSections } from '../../app/AreaTabs.tsx';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { LookupsProvider } from './lookups.tsx';
import { CustomerListPage } from './list/CustomerListPage.tsx';
import { CustomerProfilePage } from './profile/CustomerProfilePage.tsx';
import { MergeReviewPage } from './reviews/MergeReviewPage.tsx';

const ImportsPage = lazy(() => import('../imports/ImportsPage.tsx'));

/** The customers area: list and profiles, merge review, and data imports, as tabs. */
export default function CustomersPage() {
  const location = useLocation();
  const sections = useAreaSections('customers');
  const allowed = (name: string) => sections.some((s) => s.name === name);
  return (
    <LookupsProvider>
      <div data-testid="customers-area">
        <AreaTabs area="customers" sections={sections} active={sectionAt(sections, location.pathname, 'list')} />
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
