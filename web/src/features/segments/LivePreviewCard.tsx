import { Alert, Card, Flex, Spin, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { CustomerLink } from './CustomerTable.tsx';
import { exploreHref } from './rule/tree.ts';
import type { Rule } from './rule/types.ts';
import type { LivePreview } from './usePreview.ts';

/** How many customers the rule matches now, with the newest few, updated as the rule changes. */
export function LivePreviewCard({ rule, preview }: { rule: Rule; preview: LivePreview }) {
  const { t } = useTranslation();
  const { result, pending, problems, error, sendable } = preview;
  const problemCount = [...problems.values()].reduce((n, list) => n + list.length, 0);
  return (
    <Card title={t('segmentBuilder.preview.title')} data-testid="live-preview" data-pending={pending ? 'true' : 'false'} style={{ position: 'sticky', top: 16 }}>
      {!sendable ? (
        <Typography.Text type="secondary" data-testid="preview-empty">
          {t('segmentBuilder.preview.addCondition')}
        </Typography.Text>
      ) : (
        <>
          {problemCount > 0 && (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="preview-invalid" title={t('segmentBuilder.preview.invalid', { count: problemCount })} />
          )}
          <ErrorAlert error={error} />
          <Flex align="baseline" gap={8}>
            <Typography.Title level={2} style={{ margin: 0, opacity: pending ? 0.5 : 1 }} data-testid="live-count">
              {result && problemCount === 0 ? result.count.toLocaleString() : '—'}
            </Typography.Title>
            <Typography.Text type="secondary">{t('segmentBuilder.preview.customers')}</Typography.Text>
            {pending && <Spin size="small" />}
          </Flex>
          {result && problemCount === 0 && (
            <>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('segmentBuilder.preview.took', { ms: result.tookMs })}
              </Typography.Text>
              {result.sample.length > 0 && (
                <Flex vertical gap={4} style={{ marginTop: 12 }} data-testid="preview-sample">
                  <Typography.Text strong>{t('segmentBuilder.preview.sample')}</Typography.Text>
                  {result.sample.map((c) => (
                    <CustomerLink key={c.id} customer={c} />
                  ))}
                </Flex>
              )}
              <div style={{ marginTop: 12 }}>
                <Link to={exploreHref(rule)} data-testid="preview-explore">
                  {t('segmentBuilder.preview.seeAll')}
                </Link>
              </div>
            </>
          )}
        </>
      )}
    </Card>
  );
}
