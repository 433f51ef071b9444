import { Alert, Col, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { formatFen } from '../customers/format.ts';
import { useLookups } from '../customers/lookups.tsx';
import type { ImportKind, ImportSummary, Preview, PreviewCustomer, PreviewLine, PreviewOrder, RowError } from './types.ts';

const lines = (l: PreviewLine[] | undefined) => (l ?? []).map((x) => x.line).join(', ');

/** The counts of a dry run or a finished import, as tiles. */
export function SummaryTiles({ summary, kind, final }: { summary: Partial<ImportSummary>; kind: ImportKind; final: boolean }) {
  const { t } = useTranslation();
  const tiles: [string, number | undefined][] =
    kind === 'orders'
      ? [
          ['rows', summary.rows],
          ['orders', final ? summary.orders : undefined],
          ['ordersCreated', final ? summary.ordersCreated : undefined],
          ['ordersUpdated', final ? summary.ordersUpdated : undefined],
          ['ordersUnchanged', final ? summary.ordersUnchanged : undefined],
          ['customersCreated', final ? summary.customersCreated : undefined],
          ['customersMerged', final ? summary.customersMerged : undefined],
          ['skippedRows', summary.skippedRows],
          ['rejectedRows', summary.rejectedRows],
        ]
      : [
          ['rows', summary.rows],
          ['customerRows', final ? summary.customerRows : undefined],
          ['eventsRecorded', final ? summary.eventsRecorded : undefined],
          ['customersCreated', final ? summary.customersCreated : undefined],
          ['customersMerged', final ? summary.customersMerged : undefined],
          ['skippedRows', summary.skippedRows],
          ['rejectedRows', summary.rejectedRows],
        ];
  return (
    <Row gutter={[16, 16]} data-testid="import-summary">
      {tiles
        .filter(([, v]) => v !== undefined)
        .map(([key, v]) => (
          <Col key={key} xs={12} md={8} xl={4}>
            <Statistic title={t(`imports.summary.${key}`)} value={v} data-testid={`summary-${key}`} />
          </Col>
        ))}
    </Row>
  );
}

/** Bad rows with their line numbers and reasons. */
export function ErrorsTable({ errors }: { errors: RowError[] }) {
  const { t } = useTranslation();
  return (
    <Table<RowError>
      size="small"
      rowKey={(e) => `${e.file}:${e.line}:${e.column ?? ''}:${e.reason}`}
      dataSource={errors}
      pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      data-testid="import-errors"
      columns={[
        { title: t('imports.errors.line'), dataIndex: 'line', width: 80, render: (l: number) => <span data-testid="error-line">{l}</span> },
        { title: t('imports.errors.file'), dataIndex: 'file', ellipsis: true },
        { title: t('imports.errors.column'), dataIndex: 'column', render: (c: string | null) => c ?? '—' },
        { title: t('imports.errors.value'), dataIndex: 'value', ellipsis: true, render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '—') },
        {
          title: t('imports.errors.reason'),
          key: 'reason',
          render: (_: unknown, e: RowError) => (
            <span data-testid="error-reason">
              {t(`imports.reasons.${e.reason}`, { defaultValue: e.reason })}
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true }} style={{ fontSize: 12, marginBottom: 0, maxWidth: 520 }}>
                {e.message}
              </Typography.Paragraph>
            </span>
          ),
        },
      ]}
    />
  );
}

function Identities({ list }: { list: PreviewOrder['identities'] }) {
  const { identityLabel } = useLookups();
  return (
    <>
      {(list ?? []).map((i) => (
        <Tag key={`${i.type}:${i.value}`} bordered={false}>
          {identityLabel(i.type)}: {i.value}
        </Tag>
      ))}
    </>
  );
}

/** The dry run: what the file would write (first records) and every bad row, before anything is stored. */
export function PreviewView({ preview, kind }: { preview: Preview; kind: ImportKind }) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const orderColumns = [
    { title: t('imports.preview.lines'), key: 'lines', render: (_: unknown, o: PreviewOrder) => lines(o.lines) },
    { title: t('imports.preview.orderNo'), dataIndex: 'orderNo' },
    { title: t('imports.preview.status'), dataIndex: 'status', render: (s: string) => t(`imports.orderStatus.${s}`, { defaultValue: s }) },
    { title: t('imports.preview.orderedAt'), dataIndex: 'orderedAt', render: (v: string) => formatDateTime(v, timeZone) },
    { title: t('imports.preview.total'), dataIndex: 'totalFen', align: 'right' as const, render: (v: number) => formatFen(v) },
    { title: t('imports.preview.refunded'), dataIndex: 'refundedFen', align: 'right' as const, render: (v: number) => (v ? formatFen(v) : '—') },
    { title: t('imports.preview.items'), key: 'items', align: 'right' as const, render: (_: unknown, o: PreviewOrder) => o.items?.length ?? 0 },
    { title: t('imports.preview.customer'), key: 'customer', render: (_: unknown, o: PreviewOrder) => <Identities list={o.identities} /> },
  ];
  const customerColumns = [
    { title: t('imports.preview.lines'), key: 'lines', render: (_: unknown, c: PreviewCustomer) => lines(c.lines) },
    { title: t('imports.preview.name'), key: 'name', render: (_: unknown, c: PreviewCustomer) => c.profile?.name ?? c.profile?.nickname ?? '—' },
    { title: t('imports.preview.customer'), key: 'identities', render: (_: unknown, c: PreviewCustomer) => <Identities list={c.identities} /> },
  ];
  return (
    <div data-testid="import-preview">
      {preview.fatal && <Alert type="error" showIcon title={t('imports.preview.fatal')} style={{ marginBottom: 16 }} />}
      <SummaryTiles summary={preview.summary} kind={kind} final={false} />
      <Typography.Title level={5}>{t(kind === 'orders' ? 'imports.preview.ordersTitle' : 'imports.preview.customersTitle')}</Typography.Title>
      {kind === 'orders' ? (
        <Table<PreviewOrder> size="small" rowKey={(o) => `${o.platform}:${o.orderNo}`} dataSource={preview.orders} columns={orderColumns} pagination={false} scroll={{ x: true }} data-testid="preview-orders" />
      ) : (
        <Table<PreviewCustomer> size="small" rowKey={(c) => lines(c.lines)} dataSource={preview.customers} columns={customerColumns} pagination={false} data-testid="preview-customers" />
      )}
      <Typography.Title level={5}>{t('imports.preview.errorsTitle', { count: preview.errors.length })}</Typography.Title>
      {preview.errors.length ? <ErrorsTable errors={preview.errors} /> : <Typography.Text type="secondary">{t('imports.preview.noErrors')}</Typography.Text>}
    </div>
  );
}
