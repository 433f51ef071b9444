import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AreaTabs, sectionAt, useAreaSections } from '../../app/AreaTabs.tsx';
import { useSession } from '../../app/auth/useAuth.ts';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { JourneyDetailPage } from './detail/JourneyDetailPage.tsx';
import { JourneyListPage } from './JourneyListPage.tsx';
import { PlaybooksPage } from './PlaybooksPage.tsx';

const JourneyEditorPage = lazy(() => import('./editor/JourneyEditorPage.tsx'));

/** The journeys area: the journey list (with the flow editor and each journey's funnel) and the built-in playbooks, as tabs. */
export default function JourneysPage() {
  const { can } = useSession();
  const location = useLocation();
  const sections = useAreaSections('journeys');
  const active = sectionAt(sections, location.pathname, 'list');
  const editor = can('journeys.write') ? <JourneyEditorPage /> : <Navigate to="/journeys" replace />;
  return (
    <div data-testid="journeys-shell">
      <AreaTabs area="journeys" sections={sections} active={active} />
      <Suspense fallback={<FullPageSpin />}>
        <Routes>
          <Route index element={<JourneyListPage />} />
          <Route path="playbooks" element={<PlaybooksPage />} />
          <Route path="new" element={editor} />
          <Route path=":journeyId" element={<JourneyDetailPage />} />
          <Route path=":journeyId/edit" element={editor} />
          <Route path="*" element={<Navigate to="/journeys" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}
