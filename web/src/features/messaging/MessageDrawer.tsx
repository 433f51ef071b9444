import { useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Flex, Spin, Typography } from 'antd';
import { RedoOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { messagingApi } from './api.ts';
import { FindingTags, Highlighted } from './Highlighted.tsx';
import { StatusTag, whyNotSent } from './reasons.tsx';
import type { AdLawFinding, Message } from './types.ts';

/** Warnings of a sent message, or the findings that blocked one. */
function findingsOf(m: Message): AdLawFinding[] {
  if (m.adlawWarnings) return m.adlawWarnings;
  const d = m.reasonDetail as { findings?: unknown } | null;
  return m.reason === 'adlaw_blocked' && Array.isArray(d?.findings) ? (d.findings as AdLawFinding[]) : [];
}

interface Props {
  messageId: string | null;
  onClose(): void;
  /** Called after a replay changed the message. */
  onChanged?(): void;
}

/** One message: status and why, the rendered content with ad-law warnings, delivery attempts and errors. */
export function MessageDrawer({ messageId, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  return (
    <Drawer open={messageId !== null} onClose={onClose} size={640} title={t('messaging.detail.title')} destroyOnHidden data-testid="message-drawer">
      {messageId && <MessageDetail key={messageId} id={messageId} {...(onChanged ? { onChanged } : {})} />}
    </Drawer>
  );
}

function MessageDetail({ id, onChanged }: { id: string; onChanged?: () => void }) {
  const { t } = useTranslation();
  const { message: toast } = App.useApp();
  const { workspace, timeZone, can } = useSession();
  const remote = useRemote(`message:${workspace?.id ?? ''}:${id}`, (signal) => messagingApi.get(id, signal));
  const [replayed, setReplayed] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const m = replayed ?? remote.data;
  if (!m) return remote.error ? <ErrorAlert error={remote.error} onRetry={remote.reload} /> : <Spin />;

  const replay = async () => {
    setBusy(true);
    try {
      setReplayed(await messagingApi.replayOne(m.id));
      toast.success(t('messaging.deadLetters.replayedOne'));
      onChanged?.();
    } catch (err) {
      toast.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const why = whyNotSent(t, m, timeZone);
  const text = m.title ? `${m.title}\n${m.body ?? ''}` : (m.body ?? '');
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const time = (v: string | null) => (v ? formatDateTime(v, timeZone) : dash);
  const source = [t(`messaging.sources.${m.source.kind}`, { defaultValue: m.source.kind }), m.source.id, m.source.version !== null ? `v${m.source.version}` : null, m.source.step]
    .filter(Boolean)
    .join(' · ');

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={8} wrap>
        <StatusTag status={m.status} testId="detail-status" />
        {why && <span data-testid="detail-reason">{why}</span>}
        {m.status === 'failed' && can('messages.send') && (
          <Button size="small" icon={<RedoOutlined />} loading={busy} onClick={replay} data-testid="detail-replay" style={{ marginLeft: 'auto' }}>
            {t('messaging.deadLetters.replay')}
          </Button>
        )}
      </Flex>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('messaging.columns.customer')}>
          <Link to={`/customers/${m.customerId}`}>{m.customerLabel ?? `#${m.customerId}`}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('messaging.columns.channel')}>
          {t(`messaging.channels.${m.channel}`, { defaultValue: m.channel })} · {t(`messaging.drivers.${m.driver}`, { defaultValue: m.driver })}
        </Descriptions.Item>
        <Descriptions.Item label={t('messaging.detail.purpose')}>{t(`messaging.purposes.${m.purpose}`, { defaultValue: m.purpose })}</Descriptions.Item>
        <Descriptions.Item label={t('messaging.columns.source')}>{source}</Descriptions.Item>
        <Descriptions.Item label={t('messaging.detail.template')}>
          {m.templateId ? t('messaging.detail.templateVersion', { version: m.templateVersion ?? '' }) : t('messaging.detail.inline')}
        </Descriptions.Item>
        <Descriptions.Item label={t('messaging.columns.createdAt')}>{time(m.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('messaging.detail.sentAt')}>{time(m.sentAt)}</Descriptions.Item>
        {m.releaseAt && <Descriptions.Item label={t('messaging.detail.releaseAt')}>{time(m.releaseAt)}</Descriptions.Item>}
        <Descriptions.Item label={t('messaging.detail.attempts')}>
          <span data-testid="detail-attempts">{m.attempts}</span>
        </Descriptions.Item>
        {m.nextAttemptAt && <Descriptions.Item label={t('messaging.detail.nextAttemptAt')}>{time(m.nextAttemptAt)}</Descriptions.Item>}
        <Descriptions.Item label={t('messaging.detail.lastError')}>
          {m.lastError ? <Typography.Text type="danger" data-testid="detail-last-error">{m.lastError}</Typography.Text> : dash}
        </Descriptions.Item>
        <Descriptions.Item label={t('messaging.detail.key')}>
          <Typography.Text code copyable style={{ fontSize: 12 }}>{m.idempotencyKey}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <div>
        <Typography.Title level={5}>{t('messaging.detail.content')}</Typography.Title>
        {m.body !== null || m.title !== null ? (
          <Highlighted text={text} findings={m.adlawWarnings ?? []} testId="detail-content" />
        ) : (
          <Typography.Text type="secondary">{t('messaging.detail.noContent')}</Typography.Text>
        )}
      </div>
      <div>
        <Typography.Title level={5}>{t('messaging.detail.adLaw')}</Typography.Title>
        <FindingTags findings={findingsOf(m)} testId="detail-adlaw" />
      </div>
      {m.status === 'failed' && <Alert type="warning" showIcon title={t('messaging.detail.deadLetterHint')} />}
    </Flex>
  );
}
