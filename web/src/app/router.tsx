import { lazy, Suspense } from 'react';
import { Button, Result } from 'antd';
import { Link, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { FullPageSpin } from '../components/FullPageSpin.tsx';
import { RequireAuth } from './auth/RequireAuth.tsx';
import { useSession } from './auth/useAuth.ts';
import { AppLayout } from './layout/AppLayout.tsx';
import { NAV, type NavEntry } from './nav.tsx';

const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx'));

function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('router.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('router.home')}</Button>
        </Link>
      }
    />
  );
}

/** Renders an area's page, or 403 when the role lacks the area's permission. */
function AreaPage({ entry }: { entry: NavEntry }) {
  const { t } = useTranslation();
  const { can } = useSession();
  if (entry.permission && !can(entry.permission)) {
    return <Result status="403" title="403" subTitle={t('router.forbidden')} data-testid="forbidden" />;
  }
  const Page = entry.element;
  return <Page />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          {NAV.map((entry) =>
            entry.path === '' ? (
              <Route key={entry.key} index element={<AreaPage entry={entry} />} />
            ) : (
              <Route key={entry.key} path={`${entry.path}/*`} element={<AreaPage entry={entry} />} />
            ),
          )}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
