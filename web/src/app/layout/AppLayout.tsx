import { Suspense, useState } from 'react';
import { Alert, Layout } from 'antd';
import { Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { useSession } from '../auth/useAuth.ts';
import { HeaderBar } from './HeaderBar.tsx';
import { SideNav } from './SideNav.tsx';

/** The signed-in shell: side navigation, header, and the current page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { workspace } = useSession();
  const [collapsed, setCollapsed] = useState(false);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={208}
        theme="light"
        style={{ borderRight: '1px solid rgba(5, 5, 5, 0.06)' }}
      >
        <SideNav collapsed={collapsed} />
      </Layout.Sider>
      <Layout>
        <HeaderBar />
        <Layout.Content style={{ margin: 24 }} data-testid="page-content">
          {!workspace && <Alert type="warning" showIcon title={t('workspace.none')} style={{ marginBottom: 16 }} />}
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
