import { useSyncExternalStore } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { AuthProvider } from './auth/AuthContext.tsx';
import { AppRoutes } from './router.tsx';

const THEME = {
  token: {
    colorPrimary: '#0f766e',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Menu: { itemSelectedBg: '#e6f2f0', itemSelectedColor: '#0f766e', itemHoverBg: '#f2f7f6' },
  },
};

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';
const reducedMotionQuery = () => (typeof window.matchMedia === 'function' ? window.matchMedia(REDUCED_MOTION) : null);

/** Whether the person asked their system for less motion (followed live). */
function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = reducedMotionQuery();
      query?.addEventListener('change', onChange);
      return () => query?.removeEventListener('change', onChange);
    },
    () => reducedMotionQuery()?.matches ?? false,
  );
}

const STILL_THEME = { ...THEME, token: { ...THEME.token, motion: false } };

export function App() {
  const { i18n } = useTranslation();
  // Dialogs, drawers and menus open without animation for people who asked for less motion.
  const theme = usePrefersReducedMotion() ? STILL_THEME : THEME;
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
