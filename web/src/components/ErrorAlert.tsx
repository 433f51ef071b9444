import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api/errors.ts';

/** A load error, in words chosen by the error's code, with a retry button. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="load-error"
      title={t('common.loadFailed')}
      description={describeError(t, error)}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t('common.retry')}</Button> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
