import { Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { rowTestId } from '../../segments/rowProps.ts';
import type { StepStats } from '../types.ts';

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** Per-step numbers: who reached each step, who waits there, what was sent, held or suppressed (by reason), tasks and conversions. */
export function FunnelTable({ steps, onPickStep }: { steps: StepStats[]; onPickStep?(id: string): void }) {
  const { t } = useTranslation();
  const num = (id: string, col: string, value: number) => <span data-testid={`funnel-${id}-${col}`}>{value.toLocaleString()}</span>;
  return (
    <Table<StepStats>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={steps}
      scroll={{ x: true }}
      onRow={(s) => rowTestId(`funnel-row-${s.id}`)}
      data-testid="funnel-table"
      columns={[
        {
          title: t('journeys.funnel.step'),
          key: 'step',
          render: (_: unknown, s) => (
            <Flex vertical>
              <Typography.Link onClick={() => onPickStep?.(s.id)} data-testid={`funnel-pick-${s.id}`}>{s.name || s.id}</Typography.Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`journeys.stepTypes.${s.type}`, { defaultValue: s.type })} · {s.id}
              </Typography.Text>
            </Flex>
          ),
        },
        { title: t('journeys.funnel.entered'), key: 'entered', align: 'right', render: (_: unknown, s) => num(s.id, 'entered', s.entered) },
        { title: t('journeys.funnel.waiting'), key: 'waiting', align: 'right', render: (_: unknown, s) => num(s.id, 'waiting', s.waiting) },
        { title: t('journeys.funnel.sent'), key: 'sent', align: 'right', render: (_: unknown, s) => num(s.id, 'sent', s.sent) },
        { title: t('journeys.funnel.held'), key: 'held', align: 'right', render: (_: unknown, s) => num(s.id, 'held', s.held + s.queued) },
        {
          title: t('journeys.funnel.suppressed'),
          key: 'suppressed',
          render: (_: unknown, s) => (
            <Flex gap={4} wrap data-testid={`funnel-${s.id}-suppressed`}>
              {s.suppressed.length === 0 && <Typography.Text type="secondary">0</Typography.Text>}
              {s.suppressed.map((r) => (
                <Tag key={r.reason} bordered={false} color="orange" data-testid={`funnel-${s.id}-suppressed-${r.reason}`}>
                  {t(`journeys.suppressReasons.${r.reason}`, { defaultValue: r.reason })} {r.count}
                </Tag>
              ))}
              {s.failed > 0 && (
                <Tag bordered={false} color="red">
                  {t('journeys.funnel.failed')} {s.failed}
                </Tag>
              )}
            </Flex>
          ),
        },
        {
          title: t('journeys.funnel.tasks'),
          key: 'tasks',
          render: (_: unknown, s) =>
            s.type === 'task' ? (
              <span data-testid={`funnel-${s.id}-tasks`}>{t('journeys.funnel.taskCounts', { open: s.tasks.open, done: s.tasks.done, skipped: s.tasks.skipped })}</span>
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            ),
        },
        { title: t('journeys.funnel.converted'), key: 'converted', align: 'right', render: (_: unknown, s) => num(s.id, 'converted', s.converted) },
        { title: t('journeys.funnel.rate'), key: 'rate', align: 'right', render: (_: unknown, s) => <span data-testid={`funnel-${s.id}-rate`}>{percent(s.conversionRate)}</span> },
      ]}
    />
  );
}

export { percent };
