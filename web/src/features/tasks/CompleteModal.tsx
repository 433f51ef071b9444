import { useState } from 'react';
import { Alert, Form, Input, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, describeError } from '../../app/api/errors.ts';
import { tasksApi } from './api.ts';
import { TASK_OUTCOMES, type Task, type TaskOutcome } from './types.ts';

interface Props {
  task: Task | null;
  /** done asks for an outcome; skipped only for an optional note. */
  mode: 'done' | 'skipped';
  onClose(): void;
  onDone(task: Task): void;
}

/** Closes a task: done with an outcome, or skipped, each with an optional note. */
export function CompleteModal({ task, mode, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ outcome?: TaskOutcome; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const values = await form.validateFields();
    if (!task) return;
    setBusy(true);
    setError(null);
    try {
      const note = values.note?.trim();
      const done = await tasksApi.complete(task.id, { status: mode, ...(mode === 'done' && values.outcome ? { outcome: values.outcome } : {}), ...(note ? { note } : {}) });
      onDone(done);
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={task !== null}
      title={mode === 'done' ? t('tasks.complete.doneTitle') : t('tasks.complete.skipTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={mode === 'done' ? t('tasks.actions.done') : t('tasks.actions.skip')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'task-complete-submit' }}
      destroyOnHidden
    >
      <div data-testid="task-complete-modal">
        {task && <p>{task.title}</p>}
        <Form form={form} layout="vertical" preserve={false}>
          {mode === 'done' && (
            <Form.Item name="outcome" label={t('tasks.complete.outcome')} rules={[{ required: true, message: t('tasks.complete.outcomeRequired') }]}>
              <Radio.Group data-testid="task-outcome">
                {TASK_OUTCOMES.map((o) => (
                  <Radio key={o} value={o} data-testid={`task-outcome-${o}`}>
                    {t(`tasks.outcomes.${o}`)}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
          )}
          <Form.Item name="note" label={t('tasks.complete.note')}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="task-note" />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={error} />}
      </div>
    </Modal>
  );
}
