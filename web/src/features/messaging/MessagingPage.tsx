import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AreaTabs, sectionAt, useAreaSections } from '../../app/AreaTabs.tsx';
import { useSession } from '../../app/auth/useAuth.ts';
import { DeadLettersPage } from './DeadLettersPage.tsx';
import { GroupPostsPage } from './GroupPostsPage.tsx';
import { OutboxPage } from './OutboxPage.tsx';
import { SettingsPage } from './SettingsPage.tsx';
import { TemplatesPage } from './TemplatesPage.tsx';

/** The messaging area: the outbox (send ledger), dead letters, group posts, templates and send settings, as tabs. */
export default function MessagingPage() {
  const { can } = useSession();
  const location = useLocation();
  const sections = useAreaSections('messaging');
  const active = sectionAt(sections, location.pathname, 'outbox');
  return (
    <div data-testid="messaging-shell">
      <AreaTabs area="messaging" sections={sections} active={active} />
      <Routes>
        <Route index element={<OutboxPage />} />
        <Route path="dead-letters" element={<DeadLettersPage />} />
        <Route path="group-posts" element={<GroupPostsPage />} />
        <Route path="templates" element={<TemplatesPage />} />
        <Route path="settings" element={can('workspace.manage') ? <SettingsPage /> : <Navigate to="/messaging" replace />} />
        <Route path="*" element={<Navigate to="/messaging" replace />} />
      </Routes>
    </div>
  );
}
