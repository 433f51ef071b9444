import { App, Flex, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { workspaceLabel } from '../../components/workspaceLabel.ts';
import { describeError } from '../api/errors.ts';
import { useSession } from '../auth/useAuth.ts';

export function WorkspaceSwitcher() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, workspace, switchWorkspace } = useSession();
  const [switching, setSwitching] = useState(false);
  if (!workspace) return <span />;
  return (
    <Flex align="center" gap={8}>
      <Typography.Text type="secondary">{t('header.workspace')}</Typography.Text>
      <Select
        data-testid="workspace-switcher"
        aria-label={t('header.workspace')}
        value={workspace.id}
        loading={switching}
        disabled={switching}
        style={{ minWidth: 220 }}
        popupMatchSelectWidth={false}
        options={me.workspaces.map((w) => ({
          value: w.id,
          label: (
            <Flex align="center" justify="space-between" gap={8} data-testid={`workspace-option-${w.id}`}>
              <span>{workspaceLabel(t, w)}</span>
              <Tag bordered={false}>{t(`roles.${w.role}`, { defaultValue: w.role })}</Tag>
            </Flex>
          ),
        }))}
        onChange={async (id: string) => {
          setSwitching(true);
          try {
            const next = await switchWorkspace(id);
            if (next) message.success(t('workspace.switched', { name: workspaceLabel(t, next) }));
          } catch (err) {
            message.error(describeError(t, err));
          } finally {
            setSwitching(false);
          }
        }}
      />
    </Flex>
  );
}
