import { App, Avatar, Button, Dropdown, Typography } from 'antd';
import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ChangePasswordModal } from '../../features/auth/ChangePasswordModal.tsx';
import { describeError } from '../api/errors.ts';
import { useSession } from '../auth/useAuth.ts';

export function UserMenu() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { me, logout } = useSession();
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'who', label: <Typography.Text type="secondary">{me.user.email}</Typography.Text>, disabled: true },
            { type: 'divider' },
            { key: 'profile', icon: <UserOutlined />, label: <span data-testid="menu-profile">{t('settings.tabs.profile')}</span> },
            { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-change-password">{t('auth.changePassword')}</span> },
            { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="menu-sign-out">{t('auth.signOut')}</span> },
          ],
          onClick: async ({ key }) => {
            if (key === 'profile') navigate('/settings/profile');
            if (key === 'password') setChangingPassword(true);
            if (key === 'logout') {
              try {
                await logout();
                navigate('/login', { replace: true });
              } catch (err) {
                message.error(describeError(t, err));
              }
            }
          },
        }}
      >
        <Button type="text" data-testid="user-menu" aria-label={t('header.userMenu')} style={{ height: 40 }}>
          <Avatar size="small" icon={<UserOutlined />} />
          <span>{me.user.name}</span>
        </Button>
      </Dropdown>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
    </>
  );
}
