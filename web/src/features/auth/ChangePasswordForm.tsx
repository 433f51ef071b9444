import { App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api/client.ts';
import { applyFieldErrors, describeError } from '../../app/api/errors.ts';

const PASSWORD_MIN_LENGTH = 10;

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** POST /me/password; the server signs out the user's other sessions. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const onFinish = async (values: Values) => {
    setSaving(true);
    try {
      await api.post('/me/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
      message.success(t('auth.passwordChanged'));
      form.resetFields();
      onDone?.();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'user.wrong_current_password') {
        form.setFields([{ name: 'currentPassword', errors: [t('auth.currentPasswordWrong')] }]);
      } else if (!applyFieldErrors(t, form, err)) {
        message.error(describeError(t, err));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={onFinish} style={{ maxWidth: 400 }} data-testid="change-password-form">
      <Form.Item
        name="currentPassword"
        label={t('auth.currentPassword')}
        rules={[{ required: true, message: t('common.required', { field: t('fields.currentPassword') }) }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('auth.newPassword')}
        rules={[
          { required: true, message: t('common.required', { field: t('fields.newPassword') }) },
          { min: PASSWORD_MIN_LENGTH, message: t('auth.passwordTooShort', { count: PASSWORD_MIN_LENGTH }) },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('auth.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required', { field: t('fields.newPassword') }) },
          ({ getFieldValue }) => ({
            validator: (_rule, value) =>
              !value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        {t('auth.changePassword')}
      </Button>
    </Form>
  );
}
