import { useEffect, useEffectEvent, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Flex, Progress, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { downloadErrorReport, FINISHED, importsApi } from './api.ts';
import { SummaryTiles } from './PreviewView.tsx';
import type { ImportView } from './types.ts';

const POLL_MS = 1000;

export const STATUS_COLORS: Record<string, string> = {
  uploaded: 'default',
  queued: 'blue',
  running: 'processing',
  completed: 'green',
  rejected: 'red',
  failed: 'red',
  duplicate: 'gold',
};

/** Polls the import until it finishes; `version` restarts polling after a new start. */
function useImportProgress(importId: string, initial: ImportView | null, version: number) {
  const [state, setState] = useState<{ view: ImportView | null; error: unknown }>({ view: initial, error: null });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const view = await importsApi.get(importId);
        if (stopped) return;
        setState({ view, error: null });
        if (!FINISHED.has(view.status)) timer = setTimeout(tick, POLL_MS);
      } catch (error) {
        if (stopped) return;
        setState((s) => ({ ...s, error }));
        timer = setTimeout(tick, POLL_MS * 3);
      }
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [importId, version]);
  return state;
}

function percentOf(v: ImportView): number {
  if (v.status === 'completed') return 100;
  if (v.ordersTotal) return Math.min(99, Math.floor((100 * v.ordersDone) / v.ordersTotal));
  if (v.rowsTotal) return Math.min(99, Math.floor((100 * v.rowsDone) / v.rowsTotal));
  return 0;
}

interface Props {
  importId: string;
  initial: ImportView | null;
  version: number;
  /** Starts the same import again skipping bad rows (offered when it was rejected). */
  onRetrySkipping?: () => void;
  onFinished?: (view: ImportView) => void;
}

/** An import's progress bar while it runs, then its summary and the error report. */
export function ImportRun({ importId, initial, version, onRetrySkipping, onFinished }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, timeZone } = useSession();
  const { view, error } = useImportProgress(importId, initial, version);
  const finished = view !== null && FINISHED.has(view.status);
  const finishedKey = finished ? `${view.id}:${view.status}` : null;
  const report = useEffectEvent(() => {
    if (view && finished) onFinished?.(view);
  });
  useEffect(() => {
    if (finishedKey) report();
  }, [finishedKey, version]);
  if (!view) return <ErrorAlert error={error} />;

  const download = () => downloadErrorReport(workspace?.id ?? '', view.id).catch((err: unknown) => message.error(describeError(t, err)));
  const kind = view.kind;
  return (
    <Card size="small" title={t('imports.run.title')} data-testid="import-run" extra={<Tag color={STATUS_COLORS[view.status]} data-testid="import-status">{t(`imports.status.${view.status}`)}</Tag>}>
      <ErrorAlert error={error} />
      {!finished && (
        <>
          <Progress percent={percentOf(view)} status="active" data-testid="import-progress" />
          <Flex gap={16} style={{ marginBottom: 8 }}>
            <span>{t('imports.run.rows', { done: view.rowsDone, total: view.rowsTotal ?? '?' })}</span>
            {kind === 'orders' && <span>{t('imports.run.orders', { done: view.ordersDone, total: view.ordersTotal ?? '?' })}</span>}
          </Flex>
        </>
      )}
      {view.status === 'completed' && <Alert type="success" showIcon title={t('imports.run.completed')} style={{ marginBottom: 16 }} data-testid="import-completed" />}
      {view.status === 'rejected' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('imports.run.rejected', { count: view.errorCount })}
          action={onRetrySkipping && <Button size="small" onClick={onRetrySkipping} data-testid="import-retry-skipping">{t('imports.run.retrySkipping')}</Button>}
        />
      )}
      {view.status === 'duplicate' && <Alert type="warning" showIcon title={t('imports.run.duplicate')} style={{ marginBottom: 16 }} />}
      {view.status === 'failed' && <Alert type="error" showIcon title={t('imports.run.failed')} description={view.message} style={{ marginBottom: 16 }} />}
      {finished && <SummaryTiles summary={view.summary} kind={kind} final={view.status === 'completed'} />}
      <Descriptions
        size="small"
        style={{ marginTop: 16 }}
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: 'file', label: t('imports.history.file'), children: view.fileName },
          { key: 'mapping', label: t('imports.history.mapping'), children: view.mappingName ? t(`imports.presets.${view.mappingName}`, { defaultValue: view.mappingName }) : t('imports.mapping.custom') },
          { key: 'skip', label: t('imports.start.skipBadRows'), children: view.skipBadRows ? t('customers.boolean.true') : t('customers.boolean.false') },
          { key: 'started', label: t('imports.run.startedAt'), children: formatDateTime(view.startedAt, timeZone) || '—' },
          { key: 'finished', label: t('imports.run.finishedAt'), children: formatDateTime(view.finishedAt, timeZone) || '—' },
          { key: 'errors', label: t('imports.history.errors'), children: view.errorCount },
        ]}
      />
      {view.errorCount > 0 && (
        <Button icon={<DownloadOutlined />} onClick={download} style={{ marginTop: 8 }} data-testid="import-download-errors">
          {t('imports.run.downloadErrors')}
        </Button>
      )}
    </Card>
  );
}
