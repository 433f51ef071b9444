import { useEffect, useState } from 'react';
import { App, Button, Empty, Flex, Popconfirm, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../app/format.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { tagsApi } from '../api.ts';
import { describeTagError } from '../errors.ts';
import type { TagRule } from '../types.ts';
import { RuleFormModal } from './RuleFormModal.tsx';
import { summarize } from './rule-form.ts';

/** While a rule is being applied to existing customers, the list refreshes this often. */
const APPLYING_POLL_MS = 3000;

type Editing = { rule: TagRule | null } | null;

/** Automatic tag rules: what each watches, the tag it gives, how many hold it; create, edit, switch, delete. */
export default function TagRulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, can, timeZone } = useSession();
  const ws = workspace?.id ?? '';
  const canWrite = can('tags.write');
  const rules = useRemote(`tag-rules:${ws}`, (signal) => tagsApi.rules(signal));
  const groups = useRemote(`tag-groups:${ws}`, (signal) => tagsApi.groups(signal));
  const eventTypes = useRemote(canWrite ? `tag-rule-event-types:${ws}` : null, (signal) => tagsApi.eventTypes(signal));
  const [editing, setEditing] = useState<Editing>(null);
  const [switching, setSwitching] = useState<string | null>(null);
  const items = rules.data?.items ?? [];
  const colors = new Map((groups.data?.items ?? []).flatMap((g) => g.tags.map((tag) => [tag.id, tag.color] as const)));
  const isApplying = items.some((r) => !r.isApplied);
  const { reload } = rules;

  useEffect(() => {
    if (!isApplying) return;
    const timer = setInterval(reload, APPLYING_POLL_MS);
    return () => clearInterval(timer);
  }, [isApplying, reload]);

  const toggle = async (rule: TagRule, enabled: boolean) => {
    setSwitching(rule.id);
    try {
      await tagsApi.patchRule(rule.id, { enabled });
      message.success(t(enabled ? 'tagging.rules.enabledOk' : 'tagging.rules.disabledOk'));
    } catch (err) {
      message.error(describeTagError(t, err));
    } finally {
      setSwitching(null);
      rules.reload();
    }
  };

  const remove = async (rule: TagRule) => {
    try {
      await tagsApi.deleteRule(rule.id);
      message.success(t('tagging.rules.deleted'));
    } catch (err) {
      message.error(describeTagError(t, err));
    } finally {
      rules.reload();
      groups.reload();
    }
  };

  const columns = [
    {
      title: t('tagging.rules.name'),
      key: 'name',
      render: (_: unknown, r: TagRule) => (
        <Flex vertical>
          <Typography.Text strong data-testid={`rule-name-${r.name}`}>{r.name}</Typography.Text>
          {r.description && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.description}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('tagging.rules.tag'), key: 'tag', render: (_: unknown, r: TagRule) => <Tag color={colors.get(r.tagId) ?? 'blue'}>{r.tagName}</Tag> },
    {
      title: t('tagging.rules.conditions'),
      key: 'conditions',
      render: (_: unknown, r: TagRule) => <span data-testid={`rule-summary-${r.name}`}>{summarize(t, r.definition)}</span>,
    },
    {
      title: t('tagging.rules.status'),
      key: 'status',
      render: (_: unknown, r: TagRule) => (
        <Flex gap={8} align="center" wrap>
          {canWrite ? (
            <Switch
              size="small"
              checked={r.enabled}
              loading={switching === r.id}
              onChange={(next) => toggle(r, next)}
              aria-label={t('tagging.rules.enabled')}
              data-testid={`rule-enabled-${r.name}`}
            />
          ) : null}
          <Typography.Text type={r.enabled ? undefined : 'secondary'} data-testid={`rule-status-${r.name}`}>
            {t(r.enabled ? 'tagging.rules.enabled' : 'tagging.rules.disabled')}
          </Typography.Text>
          {!r.isApplied && (
            <Tag icon={<SyncOutlined spin />} color="processing" bordered={false} data-testid={`rule-applying-${r.name}`}>
              {t('tagging.rules.applying')}
            </Tag>
          )}
        </Flex>
      ),
    },
    {
      title: t('tagging.rules.customers'),
      dataIndex: 'customerCount',
      align: 'right' as const,
      render: (n: number, r: TagRule) => <span data-testid={`rule-count-${r.name}`}>{n.toLocaleString()}</span>,
    },
    {
      title: t('tagging.rules.createdBy'),
      key: 'createdBy',
      render: (_: unknown, r: TagRule) => (
        <Tooltip title={formatDateTime(r.createdAt, timeZone)}>
          <Typography.Text type="secondary">{r.createdBy ?? '—'}</Typography.Text>
        </Tooltip>
      ),
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: TagRule) => (
              <Flex gap={4}>
                <Button size="small" type="link" onClick={() => setEditing({ rule: r })} data-testid={`rule-edit-${r.name}`}>
                  {t('tagging.rules.edit')}
                </Button>
                <Popconfirm
                  title={t('tagging.rules.deleteConfirm', { name: r.name })}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true, 'data-testid': 'confirm-delete-rule' }}
                  onConfirm={() => remove(r)}
                >
                  <Button size="small" type="link" danger data-testid={`rule-delete-${r.name}`}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="tag-rules">
      <Flex justify="space-between" align="center" gap={16} style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('tagging.rules.intro')}</Typography.Text>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ rule: null })} data-testid="create-tag-rule">
            {t('tagging.rules.create')}
          </Button>
        )}
      </Flex>
      <ErrorAlert error={rules.error} onRetry={rules.reload} />
      <Table<TagRule>
        rowKey="id"
        size="middle"
        loading={rules.loading}
        dataSource={items}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        data-testid="tag-rule-table"
        locale={{ emptyText: <Empty description={t('tagging.rules.empty')} data-testid="tag-rules-empty" /> }}
      />
      {canWrite && editing && (
        <RuleFormModal
          key={editing.rule?.id ?? 'new'}
          rule={editing.rule}
          eventTypes={eventTypes.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            rules.reload();
            groups.reload();
          }}
        />
      )}
    </div>
  );
}
