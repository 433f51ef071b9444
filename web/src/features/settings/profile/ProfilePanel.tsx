import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api/client.ts';
import { applyFieldErrors, describeError } from '../../../app/api/errors.ts';
import type { Me } from '../../../app/api/types.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { LanguageSwitch } from '../../../components/LanguageSwitch.tsx';
import { currentLocale } from '../../../i18n/index.ts';
import { ChangePasswordForm } from '../../auth/ChangePasswordForm.tsx';

export function ProfilePanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, refresh, setLocale } = useSession();
  const [form] = Form.useForm<{ name: string }>();
  const [saving, setSaving] = useState(false);

  const saveName = async ({ name }: { name: string }) => {
    setSaving(true);
    try {
      await api.patch<Me>('/me', { name: name.trim() });
      await refresh();
      message.success(t('common.saved'));
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="profile-panel" style={{ display: 'grid', gap: 16, maxWidth: 640 }}>
      <Card size="small" title={t('profile.title')}>
        <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('profile.email')}>{me.user.email}</Descriptions.Item>
          <Descriptions.Item label={t('profile.language')}>
            <LanguageSwitch
              value={currentLocale()}
              onChange={(locale) => setLocale(locale).catch((err: unknown) => message.error(describeError(t, err)))}
            />
          </Descriptions.Item>
        </Descriptions>
        <Form form={form} layout="inline" initialValues={{ name: me.user.name }} onFinish={saveName}>
          <Form.Item
            name="name"
            label={t('profile.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('fields.name') }) }]}
          >
            <Input maxLength={100} data-testid="profile-name" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="profile-save">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
      <Card size="small" title={t('profile.password')}>
        <ChangePasswordForm />
      </Card>
    </div>
  );
}
