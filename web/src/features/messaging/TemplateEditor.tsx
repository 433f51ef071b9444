import { useState } from 'react';
import { Alert, App, Button, Drawer, Flex, Form, Input, Select, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote } from '../../app/useRemote.ts';
import { messagingApi } from './api.ts';
import { TemplatePreview } from './TemplatePreview.tsx';
import { CHANNELS, type Template, type TemplateDraft } from './types.ts';

interface Props {
  /** null: closed; 'new': a new template; else the template to edit. */
  editing: Template | 'new' | null;
  canEdit: boolean;
  onClose(): void;
  onSaved(template: Template): void;
}

/** Create or edit a template, with the variable syntax, a live preview for a customer and the versions. */
export function TemplateEditor({ editing, canEdit, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const title = editing === 'new' ? t('messaging.templates.create') : editing ? editing.name : '';
  return (
    <Drawer open={editing !== null} onClose={onClose} size={760} title={title} destroyOnHidden data-testid="template-editor">
      {editing && <EditorBody key={editing === 'new' ? 'new' : editing.id} template={editing === 'new' ? null : editing} canEdit={canEdit} onSaved={onSaved} />}
    </Drawer>
  );
}

function EditorBody({ template, canEdit, onSaved }: { template: Template | null; canEdit: boolean; onSaved(t: Template): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TemplateDraft>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const draftTitle = Form.useWatch('title', form) ?? template?.title ?? null;
  const draftBody = Form.useWatch('body', form) ?? template?.body ?? '';

  const save = async (values: TemplateDraft) => {
    setBusy(true);
    setError(null);
    const draft = { ...values, title: values.title?.trim() ? values.title : null };
    try {
      const saved = template ? await messagingApi.updateTemplate(template.id, draft) : await messagingApi.createTemplate(draft);
      message.success(template && saved.version !== template.version ? t('messaging.templates.newVersion', { version: saved.version }) : t('common.saved'));
      onSaved(saved);
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Form<TemplateDraft>
        form={form}
        layout="vertical"
        disabled={!canEdit}
        initialValues={template ? { name: template.name, channel: template.channel, title: template.title, body: template.body } : { name: '', channel: 'wecom', title: null, body: '' }}
        onFinish={save}
        data-testid="template-form"
      >
        <Flex gap={12}>
          <Form.Item name="name" label={t('messaging.templates.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('messaging.templates.name') }) }]} style={{ flex: 1 }}>
            <Input maxLength={100} data-testid="template-name" />
          </Form.Item>
          <Form.Item name="channel" label={t('messaging.columns.channel')} style={{ width: 180 }}>
            <Select options={CHANNELS.map((c) => ({ value: c, label: t(`messaging.channels.${c}`) }))} data-testid="template-channel" />
          </Form.Item>
        </Flex>
        <Form.Item name="title" label={t('messaging.templates.titleField')} extra={t('messaging.templates.titleHint')}>
          <Input maxLength={200} data-testid="template-title" />
        </Form.Item>
        <Form.Item name="body" label={t('messaging.templates.body')} rules={[{ required: true, message: t('common.required', { field: t('messaging.templates.body') }) }]}>
          <Input.TextArea rows={5} maxLength={4000} showCount data-testid="template-body" />
        </Form.Item>
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          data-testid="template-syntax-help"
          title={t('messaging.templates.syntaxTitle')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              <li>{t('messaging.templates.syntaxVariable', { example: '{nickname}' })}</li>
              <li>{t('messaging.templates.syntaxFallback')}</li>
              <li>{t('messaging.templates.syntaxBraces', { example: '{{ }}' })}</li>
              <li>{t('messaging.templates.syntaxNames', { names: 'nickname, name, product, coupon' })}</li>
            </ul>
          }
        />
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="template-error" />}
        {canEdit && (
          <Button type="primary" htmlType="submit" loading={busy} data-testid="template-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
      <TemplatePreview title={draftTitle} body={draftBody} />
      {template && <Versions templateId={template.id} current={template.version} />}
    </Flex>
  );
}

function Versions({ templateId, current }: { templateId: string; current: number }) {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const remote = useRemote(`template-versions:${workspace?.id ?? ''}:${templateId}:${current}`, (signal) => messagingApi.versions(templateId, signal));
  return (
    <div data-testid="template-versions">
      <Typography.Title level={5}>{t('messaging.templates.versions')}</Typography.Title>
      <Timeline
        items={(remote.data?.items ?? []).map((v) => ({
          key: v.version,
          color: v.version === current ? 'green' : 'gray',
          content: (
            <Flex vertical gap={2} data-testid={`template-version-${v.version}`}>
              <Typography.Text strong>
                {t('messaging.templates.version', { version: v.version })}
                {v.version === current && ` · ${t('messaging.templates.current')}`}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(v.createdAt, timeZone)}
                {v.createdBy && ` · ${v.createdBy}`}
              </Typography.Text>
              {v.title && <Typography.Text>{v.title}</Typography.Text>}
              <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{v.body}</Typography.Text>
            </Flex>
          ),
        }))}
      />
    </div>
  );
}
