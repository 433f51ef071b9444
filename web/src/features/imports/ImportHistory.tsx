import { App, Button, Card, Flex, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { Paged } from '../customers/usePaged.ts';
import { downloadErrorReport } from './api.ts';
import { STATUS_COLORS } from './ImportRun.tsx';
import type { ImportView } from './types.ts';

/** Every import of the workspace, newest first, with its counts and error report. */
export function ImportHistory({ history, onOpen }: { history: Paged<ImportView>; onOpen(view: ImportView): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, timeZone } = useSession();
  const download = (id: string) => downloadErrorReport(workspace?.id ?? '', id).catch((err: unknown) => message.error(describeError(t, err)));
  return (
    <Card size="small" title={t('imports.history.title')} data-testid="import-history">
      <ErrorAlert error={history.error} onRetry={history.reload} />
      <Table<ImportView>
        size="small"
        rowKey="id"
        loading={history.loading}
        dataSource={history.items}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('imports.history.empty') }}
        columns={[
          { title: t('imports.history.createdAt'), dataIndex: 'createdAt', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, timeZone)}</span> },
          { title: t('imports.history.file'), dataIndex: 'fileName', ellipsis: true },
          { title: t('imports.history.kind'), dataIndex: 'kind', render: (k: string) => t(`imports.kinds.${k}`, { defaultValue: k }) },
          { title: t('imports.history.mapping'), dataIndex: 'mappingName', render: (m: string | null) => (m ? t(`imports.presets.${m}`, { defaultValue: m }) : '—') },
          { title: t('imports.history.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLORS[s]}>{t(`imports.status.${s}`, { defaultValue: s })}</Tag> },
          { title: t('imports.history.rows'), dataIndex: 'rowsTotal', align: 'right' as const, render: (v: number | null) => v ?? '—' },
          { title: t('imports.history.orders'), key: 'orders', align: 'right' as const, render: (_: unknown, v: ImportView) => (v.kind === 'orders' ? (v.ordersTotal ?? '—') : '—') },
          { title: t('imports.history.errors'), dataIndex: 'errorCount', align: 'right' as const },
          { title: t('imports.history.by'), key: 'by', render: (_: unknown, v: ImportView) => v.createdBy.label ?? t(`audit.actorTypes.${v.createdBy.type}`, { defaultValue: v.createdBy.type }) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, v: ImportView) => (
              <Flex gap={4}>
                <Button size="small" type="link" onClick={() => onOpen(v)} data-testid={`import-open-${v.id}`}>
                  {t('imports.history.open')}
                </Button>
                {v.errorCount > 0 && (
                  <Button size="small" type="link" icon={<DownloadOutlined />} onClick={() => download(v.id)}>
                    {t('imports.history.errorReport')}
                  </Button>
                )}
              </Flex>
            ),
          },
        ]}
      />
      <Flex justify="center" style={{ marginTop: 12 }}>
        {history.hasMore ? (
          <Button onClick={history.loadMore} loading={history.loadingMore}>
            {t('common.loadMore')}
          </Button>
        ) : (
          history.items.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}
