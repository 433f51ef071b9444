import { useState } from 'react';
import { App, Button, Flex, Popconfirm, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api/client.ts';
import { describeError } from '../../../app/api/errors.ts';
import { ROLES, type ListReply, type Member, type RolesReply } from '../../../app/api/types.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { OneTimeSecretModal } from '../../../components/OneTimeSecretModal.tsx';
import { AddMemberModal } from './AddMemberModal.tsx';
import { RoleMatrix } from './RoleMatrix.tsx';

export function MembersPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, workspace, can, timeZone } = useSession();
  const workspaceId = workspace?.id ?? '';
  const members = useRemote(`members:${workspaceId}`, (signal) => api.get<ListReply<Member>>('/members', undefined, signal));
  const roles = useRemote(`roles:${workspaceId}`, (signal) => api.get<RolesReply>('/roles', undefined, signal));
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const canManage = can('members.manage');
  const isOwner = workspace?.role === 'owner';
  // Only owners grant, change or remove the owner role.
  const roleOptions = ROLES.filter((r) => isOwner || r !== 'owner').map((r) => ({ value: r, label: t(`roles.${r}`) }));

  const run = async (action: () => Promise<unknown>, success: string) => {
    try {
      await action();
      message.success(success);
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      members.reload();
    }
  };

  const columns = [
    {
      title: t('members.name'),
      dataIndex: 'name',
      render: (name: string, m: Member) => (
        <Flex gap={8} align="center">
          <span>{name}</span>
          {m.userId === me.user.id && <Tag color="blue" bordered={false}>{t('members.you')}</Tag>}
        </Flex>
      ),
    },
    { title: t('members.email'), dataIndex: 'email' },
    {
      title: t('members.role'),
      dataIndex: 'role',
      render: (role: string, m: Member) => {
        const editable = canManage && m.userId !== me.user.id && (isOwner || role !== 'owner');
        if (!editable) return <Tag bordered={false}>{t(`roles.${role}`, { defaultValue: role })}</Tag>;
        return (
          <Select
            size="small"
            value={role}
            style={{ width: 130 }}
            aria-label={`${t('members.role')} ${m.email}`}
            options={roleOptions}
            onChange={(next: string) => run(() => api.patch(`/members/${m.userId}`, { role: next }), t('members.roleChanged'))}
          />
        );
      },
    },
    { title: t('members.joinedAt'), dataIndex: 'joinedAt', render: (v: string) => formatDateTime(v, timeZone) },
    {
      title: t('members.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      render: (v: string | null) => (v ? formatDateTime(v, timeZone) : <Typography.Text type="secondary">{t('common.never')}</Typography.Text>),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, m: Member) =>
              m.userId === me.user.id || (!isOwner && m.role === 'owner') ? (
                <Tooltip title={m.userId === me.user.id ? t('members.selfHint') : t('errors.members.owner_required')}>
                  <Button size="small" type="link" danger disabled>
                    {t('members.remove')}
                  </Button>
                </Tooltip>
              ) : (
                <Popconfirm
                  title={t('members.removeConfirm', { name: m.name })}
                  okButtonProps={{ danger: true, 'data-testid': 'confirm-remove' }}
                  onConfirm={() => run(() => api.delete(`/members/${m.userId}`), t('members.removed'))}
                >
                  <Button size="small" type="link" danger>
                    {t('members.remove')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="members-panel">
      <ErrorAlert error={members.error} onRetry={members.reload} />
      {canManage && (
        <Flex justify="flex-end" style={{ marginBottom: 16 }}>
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)} data-testid="add-member">
            {t('members.add')}
          </Button>
        </Flex>
      )}
      <Table<Member>
        rowKey="userId"
        size="middle"
        loading={members.loading && !members.data}
        dataSource={members.data?.items ?? []}
        columns={columns}
        pagination={false}
        data-testid="members-table"
      />
      <RoleMatrix data={roles.data} error={roles.error} />
      <AddMemberModal
        open={adding}
        roleOptions={roleOptions}
        onClose={() => setAdding(false)}
        onAdded={(reply) => {
          setAdding(false);
          members.reload();
          if (reply.generatedPassword) setCreated({ email: reply.email, password: reply.generatedPassword });
          else message.success(t('members.added', { email: reply.email }));
        }}
      />
      <OneTimeSecretModal
        secret={created?.password ?? null}
        title={t('members.generatedPasswordTitle')}
        hint={t('members.generatedPasswordHint', { email: created?.email ?? '' })}
        testId="generated-password"
        onClose={() => setCreated(null)}
      />
    </div>
  );
}
