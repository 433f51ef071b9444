import { useState } from 'react';
import { Button, Card, Flex, List, Popconfirm, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { CONSENT_COLORS } from '../format.ts';
import type { CustomerProfile } from '../types.ts';

interface Props {
  profile: CustomerProfile;
  canEdit: boolean;
  onRecord(status: 'granted' | 'denied'): Promise<void>;
}

/** Marketing consent: the current state, its history, and recording a new decision. */
export function ConsentCard({ profile, canEdit, onRecord }: Props) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const status = profile.consentStatus;
  const record = async (next: 'granted' | 'denied') => {
    setBusy(next);
    try {
      await onRecord(next);
    } catch {
      // Reported by the caller.
    } finally {
      setBusy(null);
    }
  };
  const action = (next: 'granted' | 'denied') => (
    <Popconfirm
      title={t(`customers.consentAction.confirm.${next}`)}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onConfirm={() => record(next)}
    >
      <Button size="small" loading={busy === next} disabled={status === next} data-testid={`consent-${next}`}>
        {t(`customers.consentAction.${next}`)}
      </Button>
    </Popconfirm>
  );
  return (
    <Card
      size="small"
      title={t('customers.profile.consent')}
      data-testid="consent-card"
      extra={canEdit && <Flex gap={8}>{action('granted')}{action('denied')}</Flex>}
    >
      <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
        <Tag color={CONSENT_COLORS[status]} bordered={false} data-testid="consent-status">
          {t(`customers.consent.${status}`, { defaultValue: status })}
        </Tag>
        {profile.consentUpdatedAt && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('customers.profile.consentSince', { at: formatDateTime(profile.consentUpdatedAt, timeZone) })}
          </Typography.Text>
        )}
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('customers.profile.consentHistory')}
      </Typography.Text>
      <List
        size="small"
        dataSource={profile.consents}
        locale={{ emptyText: t('customers.profile.noConsents') }}
        data-testid="consent-history"
        renderItem={(c) => (
          <List.Item>
            <Flex vertical style={{ width: '100%' }}>
              <Flex gap={6} align="center" wrap>
                <Tag color={CONSENT_COLORS[c.status]} bordered={false}>
                  {t(`customers.consent.${c.status}`, { defaultValue: c.status })}
                </Tag>
                <span>
                  {t(`customers.purposes.${c.purpose}`, { defaultValue: c.purpose })} · {t(`customers.consentChannels.${c.channel}`, { defaultValue: c.channel })}
                </span>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(c.recordedAt, timeZone)}
                {c.source && ` · ${t('customers.profile.viaSource', { source: t(`customers.sources.${c.source}`, { defaultValue: c.source }) })}`}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}
