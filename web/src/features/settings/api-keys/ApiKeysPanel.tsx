import { useState } from 'react';
import { App, Button, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api/client.ts';
import { describeError } from '../../../app/api/errors.ts';
import type { ApiKey, ListReply, RolesReply } from '../../../app/api/types.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { OneTimeSecretModal } from '../../../components/OneTimeSecretModal.tsx';
import { CreateApiKeyModal } from './CreateApiKeyModal.tsx';

type KeyStatus = 'active' | 'revoked' | 'expired';

function statusOf(key: ApiKey, now: number): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

const STATUS_COLOR: Record<KeyStatus, string> = { active: 'green', revoked: 'red', expired: 'default' };

export function ApiKeysPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, timeZone } = useSession();
  const workspaceId = workspace?.id ?? '';
  const keys = useRemote(`api-keys:${workspaceId}`, (signal) => api.get<ListReply<ApiKey>>('/api-keys', undefined, signal));
  const roles = useRemote(`roles:${workspaceId}`, (signal) => api.get<RolesReply>('/roles', undefined, signal));
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  const [now] = useState(() => Date.now());

  const revoke = async (key: ApiKey) => {
    try {
      await api.delete(`/api-keys/${key.id}`);
      message.success(t('apiKeys.revokedOk'));
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      keys.reload();
    }
  };

  const date = (v: string | null, empty: string) =>
    v ? formatDateTime(v, timeZone) : <Typography.Text type="secondary">{empty}</Typography.Text>;

  return (
    <div data-testid="api-keys-panel">
      <Flex justify="space-between" align="center" gap={16} style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('apiKeys.intro')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-api-key">
          {t('apiKeys.create')}
        </Button>
      </Flex>
      <ErrorAlert error={keys.error} onRetry={keys.reload} />
      <Table<ApiKey>
        rowKey="id"
        size="middle"
        loading={keys.loading && !keys.data}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('apiKeys.empty') }}
        scroll={{ x: true }}
        data-testid="api-keys-table"
        columns={[
          { title: t('apiKeys.name'), dataIndex: 'name' },
          { title: t('apiKeys.prefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
          {
            title: t('apiKeys.scopes'),
            dataIndex: 'scopes',
            render: (scopes: string[]) => (
              <Flex wrap gap={4}>
                {scopes.map((s) => (
                  <Tag key={s} bordered={false} title={s}>
                    {t(`permissions.${s}`, { defaultValue: s })}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          {
            title: t('apiKeys.status'),
            key: 'status',
            render: (_: unknown, k: ApiKey) => {
              const status = statusOf(k, now);
              return (
                <Tag color={STATUS_COLOR[status]} data-testid={`api-key-status-${k.id}`}>
                  {t(`apiKeys.${status}`)}
                </Tag>
              );
            },
          },
          { title: t('apiKeys.createdAt'), dataIndex: 'createdAt', render: (v: string) => date(v, '') },
          { title: t('apiKeys.lastUsedAt'), dataIndex: 'lastUsedAt', render: (v: string | null) => date(v, t('common.never')) },
          { title: t('apiKeys.expiresAt'), dataIndex: 'expiresAt', render: (v: string | null) => date(v, t('apiKeys.noExpiry')) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, k: ApiKey) =>
              statusOf(k, now) === 'revoked' ? null : (
                <Popconfirm
                  title={t('apiKeys.revokeConfirm', { name: k.name })}
                  okButtonProps={{ danger: true, 'data-testid': 'confirm-revoke' }}
                  onConfirm={() => revoke(k)}
                >
                  <Button size="small" type="link" danger data-testid={`revoke-${k.id}`}>
                    {t('apiKeys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <CreateApiKeyModal
        open={creating}
        scopes={roles.data?.apiKeyScopes ?? []}
        timeZone={timeZone}
        onClose={() => setCreating(false)}
        onCreated={(reply) => {
          setCreating(false);
          setToken(reply.token);
          keys.reload();
        }}
      />
      <OneTimeSecretModal
        secret={token}
        title={t('apiKeys.tokenTitle')}
        hint={t('apiKeys.tokenHint')}
        testId="api-key-token"
        onClose={() => setToken(null)}
      />
    </div>
  );
}
