import { useState } from 'react';
import { App, Button, Card, Flex, Popconfirm, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { messagingApi } from './api.ts';
import { rowTestId } from './rowProps.ts';
import { TemplateEditor } from './TemplateEditor.tsx';
import type { Template } from './types.ts';

/** Message templates: list, create, edit (a changed text is a new version), archive. */
export function TemplatesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, timeZone, can } = useSession();
  const canEdit = can('messages.send');
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const list = useRemote(`templates:${workspace?.id ?? ''}:${showArchived}`, (signal) => messagingApi.templates(showArchived, signal));

  const archive = async (tpl: Template) => {
    try {
      await messagingApi.archiveTemplate(tpl.id);
      message.success(t('messaging.templates.archived'));
      list.reload();
    } catch (err) {
      message.error(describeError(t, err));
    }
  };

  return (
    <Card
      title={t('messaging.templates.title')}
      data-testid="templates"
      extra={
        <Flex gap={12} align="center">
          <Flex gap={6} align="center">
            <Switch size="small" checked={showArchived} onChange={setShowArchived} data-testid="templates-show-archived" />
            <Typography.Text>{t('messaging.templates.showArchived')}</Typography.Text>
          </Flex>
          {canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="template-create">
              {t('messaging.templates.create')}
            </Button>
          )}
        </Flex>
      }
    >
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<Template>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: t('messaging.templates.empty') }}
        onRow={(tpl) => rowTestId(`template-row-${tpl.name}`)}
        columns={[
          {
            title: t('messaging.templates.name'),
            key: 'name',
            render: (_: unknown, tpl) => (
              <Flex vertical>
                <Typography.Link onClick={() => setEditing(tpl)} data-testid={`template-open-${tpl.name}`}>
                  {tpl.name}
                </Typography.Link>
                {tpl.archived && <Tag bordered={false}>{t('messaging.templates.archivedTag')}</Tag>}
              </Flex>
            ),
          },
          { title: t('messaging.columns.channel'), key: 'channel', render: (_: unknown, tpl) => t(`messaging.channels.${tpl.channel}`, { defaultValue: tpl.channel }) },
          {
            title: t('messaging.templates.body'),
            key: 'body',
            render: (_: unknown, tpl) => (
              <Typography.Text ellipsis style={{ maxWidth: 320 }}>
                {tpl.body}
              </Typography.Text>
            ),
          },
          {
            title: t('messaging.templates.variables'),
            key: 'variables',
            render: (_: unknown, tpl) => (
              <Flex gap={4} wrap>
                {tpl.variables.map((v) => (
                  <Tag key={v} bordered={false}>{`{${v}}`}</Tag>
                ))}
              </Flex>
            ),
          },
          { title: t('messaging.templates.versionColumn'), key: 'version', render: (_: unknown, tpl) => <span data-testid={`template-version-of-${tpl.name}`}>v{tpl.version}</span> },
          { title: t('messaging.templates.updated'), key: 'updated', render: (_: unknown, tpl) => formatDateTime(tpl.updatedAt, timeZone) },
          ...(canEdit
            ? [{
                title: t('common.actions'),
                key: 'actions',
                render: (_: unknown, tpl: Template) =>
                  !tpl.archived && (
                    <Popconfirm title={t('messaging.templates.archiveConfirm', { name: tpl.name })} okText={t('common.confirm')} cancelText={t('common.cancel')} onConfirm={() => archive(tpl)}>
                      <Button size="small" danger data-testid={`template-archive-${tpl.name}`}>
                        {t('messaging.templates.archive')}
                      </Button>
                    </Popconfirm>
                  ),
              }]
            : []),
        ]}
      />
      <TemplateEditor
        editing={editing}
        canEdit={canEdit && !(editing !== 'new' && editing?.archived)}
        onClose={() => setEditing(null)}
        onSaved={(tpl) => {
          setEditing(tpl);
          list.reload();
        }}
      />
    </Card>
  );
}
