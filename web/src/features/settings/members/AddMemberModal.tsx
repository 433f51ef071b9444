import { useState } from 'react';
import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api/client.ts';
import { applyFieldErrors, describeError } from '../../../app/api/errors.ts';
import type { AddMemberReply } from '../../../app/api/types.ts';

interface Values {
  email: string;
  name?: string;
  role: string;
}

interface Props {
  open: boolean;
  roleOptions: { value: string; label: string }[];
  onClose(): void;
  onAdded(reply: AddMemberReply): void;
}

export function AddMemberModal({ open, roleOptions, onClose, onAdded }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    try {
      const name = values.name?.trim();
      const reply = await api.post<AddMemberReply>('/members', { email: values.email.trim(), role: values.role, ...(name ? { name } : {}) });
      form.resetFields();
      onAdded(reply);
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('members.addTitle')}
      okText={t('members.add')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'add-member-submit' }}
      forceRender
    >
      <Typography.Paragraph type="secondary">{t('members.addHint')}</Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" initialValues={{ role: 'operator' }} data-testid="add-member-form">
        <Form.Item
          name="email"
          label={t('members.email')}
          rules={[
            { required: true, message: t('common.required', { field: t('fields.email') }) },
            { type: 'email', message: t('auth.emailInvalid') },
          ]}
        >
          <Input autoComplete="off" data-testid="member-email" />
        </Form.Item>
        <Form.Item name="name" label={`${t('members.name')}${t('common.optional')}`}>
          <Input autoComplete="off" maxLength={100} data-testid="member-name" />
        </Form.Item>
        <Form.Item name="role" label={t('members.role')} rules={[{ required: true }]}>
          <Select options={roleOptions} data-testid="member-role" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
