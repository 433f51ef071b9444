import { App, Flex, Layout, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { describeError } from '../api/errors.ts';
import { useSession } from '../auth/useAuth.ts';
import { UserMenu } from './UserMenu.tsx';
import { WorkspaceSwitcher } from './WorkspaceSwitcher.tsx';

export function HeaderBar() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { setLocale } = useSession();
  const { token } = theme.useToken();
  return (
    <Layout.Header
      style={{
        background: token.colorBgContainer,
        padding: '0 24px',
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      <Flex align="center" justify="space-between" style={{ height: '100%' }} gap={16}>
        <WorkspaceSwitcher />
        <Flex align="center" gap={16}>
          <LanguageSwitch
            value={currentLocale()}
            onChange={(locale) => setLocale(locale).catch((err: unknown) => message.error(describeError(t, err)))}
          />
          <UserMenu />
        </Flex>
      </Flex>
    </Layout.Header>
  );
}
