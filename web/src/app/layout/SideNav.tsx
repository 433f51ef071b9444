import { Flex, Menu, Typography } from 'antd';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/useAuth.ts';
import { activeEntry, NAV } from '../nav.tsx';

export function SideNav({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const location = useLocation();
  const active = activeEntry(location.pathname);
  const items = NAV.filter((e) => !e.permission || can(e.permission)).map((e) => ({
    key: e.key,
    icon: e.icon,
    label: (
      <Link to={`/${e.path}`} data-testid={`nav-${e.key}`}>
        {t(e.labelKey)}
      </Link>
    ),
  }));
  return (
    <nav aria-label={t('nav.menu')}>
      <Flex align="center" gap={10} style={{ height: 64, padding: collapsed ? '0 24px' : '0 20px' }}>
        <img src="/favicon.svg" alt="" width={28} height={28} />
        {!collapsed && (
          <Typography.Text strong style={{ fontSize: 16, whiteSpace: 'nowrap' }}>
            {t('app.name')}
          </Typography.Text>
        )}
      </Flex>
      <Menu mode="inline" selectedKeys={active ? [active.key] : []} items={items} style={{ borderInlineEnd: 'none' }} />
    </nav>
  );
}
