import { lazy, Suspense } from 'react';
import { Tabs } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { NAV } from '../../app/nav.tsx';
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
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const sections = (NAV.find((e) => e.key === 'segments')?.sections ?? []).filter((s) => !s.permission || can(s.permission));
  const page = location.pathname.split('/')[2] ?? '';
  const active = RFM_PAGES.has(page) ? 'rfm' : 'list';
  const builder = can('segments.write') ? <SegmentBuilderPage /> : <Navigate to="/segments" replace />;
  return (
    <div data-testid="segments-shell">
      <Tabs
        activeKey={active}
        onChange={(name) => navigate(`/segments/${sections.find((s) => s.name === name)?.path ?? ''}`)}
        items={sections.map((s) => ({ key: s.name, label: <span data-testid={`segments-tab-${s.name}`}>{t(s.labelKey)}</span> }))}
        style={{ marginTop: -8 }}
      />
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
