import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AreaTabs, useAreaSections } from '../../app/AreaTabs.tsx';
import { useSession } from '../../app/auth/useAuth.ts';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { ExplorePage } from './ExplorePage.tsx';
import { RfmPage } from './RfmPage.tsx';
import { SegmentDetailPage } from './SegmentDetailPage.tsx';
import { SegmentListPage } from './SegmentListPage.tsx';
import { TransitionCustomersPage } from './TransitionCustomersPage.tsx';

const SegmentBuilderPage = lazy(() => import('./SegmentBuilderPage.tsx'));

/** Pages under /segments that belong to the RFM tab (the customers behind a transition). */
const RFM_PAGES = new Set(['rfm', 'transitions']);

/**
 * The segments area: saved segments (list, builder, detail, explore) and RFM with lifecycle
 * and transitions, as tabs.
 */
export default function SegmentsPage() {
  const { can } = useSession();
  const location = useLocation();
  const sections = useAreaSections('segments');
  const page = location.pathname.split('/')[2] ?? '';
  const active = RFM_PAGES.has(page) ? 'rfm' : 'list';
  const builder = can('segments.write') ? <SegmentBuilderPage /> : <Navigate to="/segments" replace />;
  return (
    <div data-testid="segments-shell">
      <AreaTabs area="segments" sections={sections} active={active} />
      <Suspense fallback={<FullPageSpin />}>
        <Routes>
          <Route index element={<SegmentListPage />} />
          <Route path="rfm" element={<RfmPage />} />
          <Route path="transitions" element={<TransitionCustomersPage />} />
          <Route path="explore" element={<ExplorePage />} />
          <Route path="new" element={builder} />
          <Route path=":segmentId" element={<SegmentDetailPage />} />
          <Route path=":segmentId/edit" element={builder} />
          <Route path="*" element={<Navigate to="/segments" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}
