import { Tabs, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { ComponentType } from 'react';
import { useSession } from '../../app/auth/useAuth.ts';
import { ApiKeysPanel } from './api-keys/ApiKeysPanel.tsx';
import { AuditLogPanel } from './audit/AuditLogPanel.tsx';
import { MembersPanel } from './members/MembersPanel.tsx';
import { ProfilePanel } from './profile/ProfilePanel.tsx';
import { WorkspacePanel } from './workspace/WorkspacePanel.tsx';

interface SettingsTab {
  key: string;
  labelKey: string;
  permission?: string;
  /** Needs a current workspace (everything but the profile). */
  needsWorkspace: boolean;
  Panel: ComponentType;
}

const TABS: readonly SettingsTab[] = [
  { key: 'members', labelKey: 'settings.tabs.members', permission: 'members.read', needsWorkspace: true, Panel: MembersPanel },
  { key: 'api-keys', labelKey: 'settings.tabs.apiKeys', permission: 'api_keys.manage', needsWorkspace: true, Panel: ApiKeysPanel },
  { key: 'workspace', labelKey: 'settings.tabs.workspace', permission: 'workspace.read', needsWorkspace: true, Panel: WorkspacePanel },
  { key: 'audit', labelKey: 'settings.tabs.audit', permission: 'audit.read', needsWorkspace: true, Panel: AuditLogPanel },
  { key: 'profile', labelKey: 'settings.tabs.profile', needsWorkspace: false, Panel: ProfilePanel },
];

export default function SettingsPage() {
  const { t } = useTranslation();
  const { can, workspace } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const tabs = TABS.filter((tab) => (!tab.needsWorkspace || workspace) && (!tab.permission || can(tab.permission)));
  const active = location.pathname.split('/')[2] ?? '';
  const first = tabs[0]?.key ?? 'profile';
  return (
    <div data-testid="settings">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('settings.title')}
      </Typography.Title>
      <Tabs
        activeKey={tabs.some((tab) => tab.key === active) ? active : first}
        onChange={(key) => navigate(`/settings/${key}`)}
        items={tabs.map((tab) => ({ key: tab.key, label: <span data-testid={`settings-tab-${tab.key}`}>{t(tab.labelKey)}</span> }))}
      />
      <Routes>
        {tabs.map(({ key, Panel }) => (
          <Route key={key} path={key} element={<Panel />} />
        ))}
        <Route path="*" element={<Navigate to={`/settings/${first}`} replace />} />
      </Routes>
    </div>
  );
}
