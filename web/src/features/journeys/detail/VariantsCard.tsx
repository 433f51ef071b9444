import { Card, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { rowTestId } from '../../segments/rowProps.ts';
import type { VariantStats } from '../types.ts';
import { percent } from './FunnelTable.tsx';

/** A/B results: each variant's conversion against the control, with the confidence of the difference. */
export function VariantsCard({ variants }: { variants: VariantStats[] }) {
  const { t } = useTranslation();
  if (!variants.length) return null;
  return (
    <Card size="small" title={t('journeys.ab.title')} style={{ marginBottom: 16 }} data-testid="variants-card">
      <Table<VariantStats>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={variants}
        onRow={(v) => rowTestId(`variant-row-${v.key}`)}
        columns={[
          {
            title: t('journeys.ab.variant'),
            key: 'key',
            render: (_: unknown, v) => (
              <>
                {v.key}{' '}
                {v.isControl && (
                  <Tag bordered={false} color="blue">
                    {t('journeys.ab.control')}
                  </Tag>
                )}
              </>
            ),
          },
          { title: t('journeys.ab.weight'), key: 'weight', align: 'right', render: (_: unknown, v) => (v.weight === null ? '—' : `${v.weight}%`) },
          { title: t('journeys.funnel.entered'), key: 'entered', align: 'right', render: (_: unknown, v) => <span data-testid={`variant-${v.key}-entered`}>{v.entered}</span> },
          { title: t('journeys.funnel.converted'), key: 'converted', align: 'right', render: (_: unknown, v) => <span data-testid={`variant-${v.key}-converted`}>{v.converted}</span> },
          { title: t('journeys.funnel.rate'), key: 'rate', align: 'right', render: (_: unknown, v) => <span data-testid={`variant-${v.key}-rate`}>{percent(v.conversionRate)}</span> },
          { title: t('journeys.ab.lift'), key: 'lift', align: 'right', render: (_: unknown, v) => (v.isControl || v.lift === null ? '—' : `${v.lift >= 0 ? '+' : ''}${(v.lift * 100).toFixed(1)}%`) },
          {
            title: t('journeys.ab.confidence'),
            key: 'confidence',
            align: 'right',
            render: (_: unknown, v) => <span data-testid={`variant-${v.key}-confidence`}>{v.isControl ? '—' : percent(v.confidence)}</span>,
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {t('journeys.ab.method')}
      </Typography.Paragraph>
    </Card>
  );
}
