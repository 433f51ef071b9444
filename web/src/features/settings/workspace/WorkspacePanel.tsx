import { useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, Select, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api/client.ts';
import { applyFieldErrors, describeError } from '../../../app/api/errors.ts';
import type { Workspace } from '../../../app/api/types.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { timeZones } from '../../../app/format.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { LOCALES } from '../../../i18n/index.ts';

interface Values {
  name: string;
  timeZone: string;
  locale: string;
}

export function WorkspacePanel() {
  const { workspace } = useSession();
  const workspaceId = workspace?.id ?? '';
  const remote = useRemote(`workspace:${workspaceId}`, (signal) => api.get<Workspace>('/workspace', undefined, signal));
  if (remote.error) return <ErrorAlert error={remote.error} onRetry={remote.reload} />;
  if (!remote.data) return <Spin />;
  // Keyed so the form starts from the loaded values of this workspace.
  return <WorkspaceForm key={`${remote.data.id}:${remote.data.name}:${remote.data.timeZone}:${remote.data.locale}`} initial={remote.data} />;
}

function WorkspaceForm({ initial }: { initial: Workspace }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can, refresh } = useSession();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const canManage = can('workspace.manage');
  const zones = useMemo(() => timeZones().map((z) => ({ value: z, label: z })), []);

  const onFinish = async (values: Values) => {
    setSaving(true);
    try {
      await api.patch<Workspace>('/workspace', { name: values.name.trim(), timeZone: values.timeZone, locale: values.locale });
      message.success(t('common.saved'));
      await refresh();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="workspace-panel">
      {!canManage && <Alert type="info" showIcon title={t('workspaceSettings.readOnly')} style={{ marginBottom: 16, maxWidth: 480 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={!canManage}
        style={{ maxWidth: 480 }}
        initialValues={{ name: initial.name, timeZone: initial.timeZone, locale: initial.locale }}
        onFinish={onFinish}
      >
        <Form.Item
          name="name"
          label={t('workspaceSettings.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('fields.name') }) }]}
        >
          <Input maxLength={100} data-testid="workspace-name" />
        </Form.Item>
        <Form.Item name="timeZone" label={t('workspaceSettings.timeZone')} extra={t('workspaceSettings.timeZoneHint')}>
          <Select showSearch options={zones} data-testid="workspace-time-zone" />
        </Form.Item>
        <Form.Item name="locale" label={t('workspaceSettings.locale')}>
          <Select options={LOCALES.map((l) => ({ value: l, label: t(`language.${l}`) }))} data-testid="workspace-locale" />
        </Form.Item>
        {canManage && (
          <Button type="primary" htmlType="submit" loading={saving} data-testid="workspace-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </div>
  );
}
