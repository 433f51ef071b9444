import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api/client.ts';
import { applyFieldErrors, describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TAG_KINDS as KINDS, type GroupView, type TagKind, type TagView } from './types.ts';

type Creating = { what: 'group' } | { what: 'tag'; group: GroupView } | null;

/** The tag manager: tag groups with their tags, customer and rule counts; create and delete. */
export function TagCatalogPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, can } = useSession();
  const canWrite = can('tags.write');
  const groups = useRemote(`tag-groups:${workspace?.id ?? ''}`, (signal) => api.get<{ items: GroupView[] }>('/tag-groups', undefined, signal));
  const [creating, setCreating] = useState<Creating>(null);

  const remove = async (path: string, done: string) => {
    try {
      await api.delete(path);
      message.success(done);
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      groups.reload();
    }
  };

  const items = groups.data?.items ?? [];
  return (
    <div data-testid="tag-catalog">
      <Flex justify="space-between" align="center" gap={16} style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('tags.intro')}</Typography.Text>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating({ what: 'group' })} data-testid="create-tag-group">
            {t('tags.createGroup')}
          </Button>
        )}
      </Flex>
      <ErrorAlert error={groups.error} onRetry={groups.reload} />
      {!groups.loading && !groups.error && items.length === 0 && <Empty description={t('tags.noGroups')} data-testid="tags-empty" />}
      <Flex vertical gap={16}>
        {items.map((g) => (
          <Card
            key={g.id}
            size="small"
            data-testid={`tag-group-${g.name}`}
            title={
              <Flex gap={8} align="center">
                <span>{g.name}</span>
                <Tag bordered={false}>{t(`tags.kinds.${g.kind}`)}</Tag>
              </Flex>
            }
            extra={
              canWrite && (
                <Flex gap={8}>
                  <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating({ what: 'tag', group: g })} data-testid={`create-tag-in-${g.name}`}>
                    {t('tags.createTag')}
                  </Button>
                  <Popconfirm
                    title={t('tags.deleteGroupConfirm', { name: g.name })}
                    okButtonProps={{ danger: true, 'data-testid': 'confirm-delete-group' }}
                    onConfirm={() => remove(`/tag-groups/${g.id}`, t('tags.groupDeleted'))}
                  >
                    <Button size="small" type="link" danger data-testid={`delete-group-${g.name}`}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Flex>
              )
            }
          >
            <Table<TagView>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={g.tags}
              locale={{ emptyText: t('tags.noTags') }}
              columns={[
                { title: t('tags.name'), dataIndex: 'name', render: (name: string, tag) => <Tag color={tag.color} data-testid={`tag-${name}`}>{name}</Tag> },
                { title: t('tags.kind'), dataIndex: 'kind', render: (k: TagKind) => t(`tags.kinds.${k}`) },
                { title: t('tags.customers'), dataIndex: 'customerCount', align: 'right', render: (n: number, tag) => <span data-testid={`tag-count-${tag.name}`}>{n.toLocaleString()}</span> },
                { title: t('tags.rules'), dataIndex: 'ruleCount', align: 'right' },
                { title: t('tags.description'), dataIndex: 'description', render: (d: string | null) => d ?? '' },
                ...(canWrite
                  ? [
                      {
                        title: t('common.actions'),
                        key: 'actions',
                        render: (_: unknown, tag: TagView) => (
                          <Popconfirm
                            title={t('tags.deleteTagConfirm', { name: tag.name, count: tag.customerCount })}
                            okButtonProps={{ danger: true, 'data-testid': 'confirm-delete-tag' }}
                            onConfirm={() => remove(`/tags/${tag.id}`, t('tags.tagDeleted'))}
                          >
                            <Button size="small" type="link" danger data-testid={`delete-tag-${tag.name}`}>
                              {t('common.delete')}
                            </Button>
                          </Popconfirm>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        ))}
      </Flex>
      <CreateModal
        creating={creating}
        onClose={() => setCreating(null)}
        onCreated={() => {
          setCreating(null);
          groups.reload();
        }}
      />
    </div>
  );
}

interface Values {
  name: string;
  kind: TagKind;
  description?: string;
}

function CreateModal({ creating, onClose, onCreated }: { creating: Creating; onClose(): void; onCreated(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const isTag = creating?.what === 'tag';

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values || !creating) return;
    setSaving(true);
    try {
      const description = values.description?.trim() ? { description: values.description.trim() } : {};
      if (creating.what === 'group') await api.post('/tag-groups', { name: values.name.trim(), kind: values.kind, ...description });
      else await api.post('/tags', { groupId: creating.group.id, name: values.name.trim(), kind: values.kind, ...description });
      message.success(t(isTag ? 'tags.tagCreated' : 'tags.groupCreated'));
      form.resetFields();
      onCreated();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={creating !== null}
      title={isTag && creating?.what === 'tag' ? t('tags.createTagIn', { group: creating.group.name }) : t('tags.createGroup')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      afterOpenChange={(open) => {
        if (open) form.setFieldsValue({ kind: creating?.what === 'tag' ? creating.group.kind : 'static' });
      }}
      okButtonProps={{ 'data-testid': 'tag-form-submit' }}
      forceRender
    >
      <Form<Values> form={form} layout="vertical" data-testid="tag-form">
        <Form.Item name="name" label={t('tags.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('tags.name') }) }]}>
          <Input maxLength={60} data-testid="tag-form-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('tags.kind')} extra={t('tags.kindHelp')}>
          <Select data-testid="tag-form-kind" options={KINDS.map((k) => ({ value: k, label: t(`tags.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="description" label={t('tags.description')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
