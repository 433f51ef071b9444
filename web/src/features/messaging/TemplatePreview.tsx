import { useEffect, useState } from 'react';
import { Alert, Card, Flex, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { messagingApi } from './api.ts';
import { CustomerPicker } from './CustomerPicker.tsx';
import { FindingTags, Highlighted } from './Highlighted.tsx';
import type { Preview } from './types.ts';

const VERDICT_COLORS = { ok: 'green', warn: 'orange', block: 'red' } as const;

/**
 * The draft rendered for a chosen customer (or with no customer: every variable without a
 * fallback shows as missing): missing variables, syntax errors and ad-law findings highlighted.
 * Re-rendered a moment after the draft or the customer changes.
 */
export function TemplatePreview({ title, body }: { title: string | null; body: string }) {
  const { t } = useTranslation();
  const [customerId, setCustomerId] = useState<number | null>(null);
  const [state, setState] = useState<{ key: string; preview?: Preview; error?: unknown } | null>(null);
  const key = JSON.stringify([title, body, customerId]);

  useEffect(() => {
    if (!body.trim()) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      messagingApi
        .preview({ content: { title: title || null, text: body }, ...(customerId ? { customerId } : {}) }, controller.signal)
        .then((preview) => setState({ key, preview }), (error: unknown) => !controller.signal.aborted && setState({ key, error }));
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, title, body, customerId]);

  const preview = state?.preview;
  return (
    <Card size="small" title={t('messaging.templates.preview')} data-testid="template-preview" extra={<CustomerPicker value={customerId} onChange={setCustomerId} testId="preview-customer" />}>
      {!body.trim() ? (
        <Typography.Text type="secondary">{t('messaging.templates.previewEmpty')}</Typography.Text>
      ) : state?.error ? (
        <Alert type="error" showIcon title={describeError(t, state.error)} />
      ) : preview ? (
        <Flex vertical gap={12} style={{ opacity: state?.key === key ? 1 : 0.6 }} data-testid="preview-result">
          <Space wrap>
            <Tag color={VERDICT_COLORS[preview.verdict]} bordered={false} data-testid="preview-verdict">
              {t(`messaging.verdicts.${preview.verdict}`)}
            </Tag>
            {preview.customer && <Typography.Text type="secondary">{t('messaging.templates.previewFor', { name: preview.customer.label ?? `#${preview.customer.id}` })}</Typography.Text>}
          </Space>
          {preview.syntaxError && (
            <Alert type="error" showIcon data-testid="preview-syntax" title={t('messaging.templates.syntaxError', { position: preview.syntaxError.position + 1 })} description={preview.syntaxError.message} />
          )}
          {preview.missing.length > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="preview-missing"
              title={t('messaging.templates.missing')}
              description={
                <Space wrap>
                  {preview.missing.map((v) => (
                    <Tag key={v} color="red" bordered={false} data-testid={`preview-missing-${v}`}>{`{${v}}`}</Tag>
                  ))}
                </Space>
              }
            />
          )}
          {preview.title && <Highlighted text={preview.title.text} findings={preview.title.findings} testId="preview-title" />}
          <Card size="small" styles={{ body: { background: '#fafafa' } }}>
            <Highlighted text={preview.body.text} findings={preview.body.findings} testId="preview-body" />
          </Card>
          <div>
            <Typography.Text type="secondary">{t('messaging.templates.findingsLabel')}</Typography.Text>
            <FindingTags findings={[...(preview.title?.findings ?? []), ...preview.body.findings]} testId="preview-adlaw" />
          </div>
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
      )}
    </Card>
  );
}
