import { Card, List, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useLookups } from '../lookups.tsx';
import type { IdentityView } from '../types.ts';

/** Every identity the customer holds, labelled by the workspace's identity types. */
export function IdentitiesCard({ identities }: { identities: IdentityView[] }) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const { identityLabel } = useLookups();
  return (
    <Card size="small" title={t('customers.profile.identities', { count: identities.length })} data-testid="identities-card">
      <List
        size="small"
        dataSource={identities}
        locale={{ emptyText: t('customers.profile.noIdentities') }}
        renderItem={(i) => (
          <List.Item data-testid={`identity-${i.type}`}>
            <div style={{ width: '100%' }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {identityLabel(i.type)}
                {i.scope && ` · ${i.scope}`}
              </Typography.Text>
              <div>
                <Typography.Text copyable={{ text: i.value }} style={{ wordBreak: 'break-all' }}>
                  {i.value}
                </Typography.Text>{' '}
                {i.verified && (
                  <Tag color="green" bordered={false}>
                    {t('customers.profile.verified')}
                  </Tag>
                )}
              </div>
              <Tooltip title={t('customers.profile.lastSeen', { at: formatDateTime(i.lastSeenAt, timeZone) })}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('customers.profile.firstSeen', { at: formatDateTime(i.firstSeenAt, timeZone) })}
                  {i.source && ` · ${t('customers.profile.viaSource', { source: i.source })}`}
                </Typography.Text>
              </Tooltip>
            </div>
          </List.Item>
        )}
      />
    </Card>
  );
}
