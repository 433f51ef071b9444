import { useState } from 'react';
import { App, Checkbox, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api/client.ts';
import { applyFieldErrors, describeError } from '../../../app/api/errors.ts';
import type { CreateApiKeyReply } from '../../../app/api/types.ts';
import { formatDateTime } from '../../../app/format.ts';

interface Values {
  name: string;
  scopes: string[];
  /** 0: never expires. */
  expiresInDays: number;
}

const EXPIRY_DAYS = [0, 30, 90, 180, 365];
const DAY_MS = 24 * 3600_000;

interface Props {
  open: boolean;
  scopes: string[];
  timeZone: string;
  onClose(): void;
  onCreated(reply: CreateApiKeyReply): void;
}

export function CreateApiKeyModal({ open, scopes, timeZone, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  // The moment the expiry options count from; renewed whenever the dialog opens.
  const [now, setNow] = useState(() => Date.now());

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    try {
      const expiresAt = values.expiresInDays > 0 ? new Date(Date.now() + values.expiresInDays * DAY_MS).toISOString() : undefined;
      const reply = await api.post<CreateApiKeyReply>('/api-keys', {
        name: values.name.trim(),
        scopes: values.scopes,
        ...(expiresAt ? { expiresAt } : {}),
      });
      form.resetFields();
      onCreated(reply);
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('apiKeys.createTitle')}
      okText={t('apiKeys.create')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      afterOpenChange={(isOpen) => {
        if (isOpen) setNow(Date.now());
      }}
      okButtonProps={{ 'data-testid': 'create-api-key-submit' }}
      width={640}
      forceRender
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ scopes: [], expiresInDays: 0 }} data-testid="create-api-key-form">
        <Form.Item
          name="name"
          label={t('apiKeys.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('fields.name') }) }]}
        >
          <Input maxLength={100} placeholder={t('apiKeys.namePlaceholder')} data-testid="api-key-name" />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t('apiKeys.scopes')}
          rules={[{ required: true, type: 'array', min: 1, message: t('apiKeys.scopesRequired') }]}
        >
          <Checkbox.Group data-testid="api-key-scopes" style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 8 }}>
            {scopes.map((scope) => (
              <Checkbox key={scope} value={scope} data-testid={`scope-${scope}`}>
                {t(`permissions.${scope}`, { defaultValue: scope })} <code style={{ color: '#8c8c8c' }}>{scope}</code>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('apiKeys.expiresAt')}>
          <Select
            data-testid="api-key-expiry"
            style={{ width: 280 }}
            options={EXPIRY_DAYS.map((days) => ({
              value: days,
              label:
                days === 0
                  ? t('apiKeys.noExpiry')
                  : t('apiKeys.expiresInDays', {
                      count: days,
                      date: formatDateTime(new Date(now + days * DAY_MS), timeZone).slice(0, 10),
                    }),
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
