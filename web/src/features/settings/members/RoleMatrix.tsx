import { Card, Table, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RolesReply } from '../../../app/api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

/** Which role may do what: one row per permission, one column per role. */
export function RoleMatrix({ data, error }: { data: RolesReply | undefined; error: unknown }) {
  const { t } = useTranslation();
  const roles = data?.roles ?? [];
  const permissions = [...new Set(roles.flatMap((r) => r.permissions))];
  const rows = permissions.map((permission) => ({
    permission,
    ...Object.fromEntries(roles.map((r) => [r.role, r.permissions.includes(permission)])),
  }));
  return (
    <Card title={t('members.matrixTitle')} size="small" style={{ marginTop: 24 }} data-testid="role-matrix">
      <Typography.Paragraph type="secondary">{t('members.matrixHint')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Table
        rowKey="permission"
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: true }}
        columns={[
          {
            title: t('members.permission'),
            dataIndex: 'permission',
            render: (p: string) => (
              <span title={p}>
                {t(`permissions.${p}`, { defaultValue: p })} <Typography.Text type="secondary" code>{p}</Typography.Text>
              </span>
            ),
          },
          ...roles.map((r) => ({
            title: t(`roles.${r.role}`, { defaultValue: r.role }),
            dataIndex: r.role,
            align: 'center' as const,
            render: (allowed: boolean) => (allowed ? <CheckOutlined style={{ color: '#0f766e' }} aria-label="✓" /> : null),
          })),
        ]}
      />
    </Card>
  );
}
