import { useState, type ReactNode } from 'react';
import { Button, Flex, Input, InputNumber, Select, Space, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export type Editor =
  | { kind: 'text'; maxLength?: number }
  | { kind: 'date' }
  | { kind: 'number' }
  | { kind: 'select'; options: { value: string; label: string }[]; allowClear?: boolean };

interface Props {
  /** What is shown while not editing. */
  display: ReactNode;
  /** The value the editor starts from ('' for none). */
  raw: string;
  editor: Editor;
  canEdit: boolean;
  label: string;
  testId: string;
  /** Saves the new value ('' clears it); a rejection keeps the editor open. */
  onSave(next: string): Promise<void>;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A value with an inline editor (pencil → field → save/cancel), for users who may write. */
export function EditableValue({ display, raw, editor, canEdit, label, testId, onSave }: Props) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(raw);
  const [saving, setSaving] = useState(false);
  const [invalid, setInvalid] = useState(false);

  if (!editing) {
    return (
      <Flex align="center" gap={4} data-testid={testId}>
        <span data-testid={`${testId}-value`}>{display ?? <Typography.Text type="secondary">—</Typography.Text>}</span>
        {canEdit && (
          <Button
            type="text"
            size="small"
            icon={<EditOutlined />}
            aria-label={t('customers.profile.edit', { field: label })}
            data-testid={`${testId}-edit`}
            onClick={() => {
              setDraft(raw);
              setInvalid(false);
              setEditing(true);
            }}
          />
        )}
      </Flex>
    );
  }

  const save = async (value = draft) => {
    const next = value.trim();
    if (editor.kind === 'date' && next && !DATE_RE.test(next)) return setInvalid(true);
    setSaving(true);
    try {
      await onSave(next);
      setEditing(false);
    } catch {
      // The caller reported the error; keep the draft for another try.
    } finally {
      setSaving(false);
    }
  };

  const field = (() => {
    switch (editor.kind) {
      case 'select':
        return (
          <Select
            size="small"
            autoFocus
            value={draft || undefined}
            allowClear={editor.allowClear}
            onChange={(v?: string) => setDraft(v ?? '')}
            options={editor.options}
            style={{ minWidth: 160 }}
            aria-label={label}
            data-testid={`${testId}-input`}
          />
        );
      case 'number':
        return (
          <InputNumber
            size="small"
            autoFocus
            value={draft === '' ? null : Number(draft)}
            onChange={(v) => setDraft(v === null ? '' : String(v))}
            onPressEnter={() => save()}
            aria-label={label}
            data-testid={`${testId}-input`}
          />
        );
      default:
        return (
          <Input
            size="small"
            autoFocus
            value={draft}
            status={invalid ? 'error' : undefined}
            placeholder={editor.kind === 'date' ? 'YYYY-MM-DD' : undefined}
            maxLength={editor.kind === 'text' ? (editor.maxLength ?? 100) : 10}
            onChange={(e) => {
              setDraft(e.target.value);
              setInvalid(false);
            }}
            onPressEnter={() => save()}
            onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
            style={{ width: 180 }}
            aria-label={label}
            data-testid={`${testId}-input`}
          />
        );
    }
  })();

  return (
    <Flex vertical gap={2}>
      <Space.Compact>
        {field}
        <Button size="small" type="primary" icon={<CheckOutlined />} loading={saving} onClick={() => save()} aria-label={t('common.save')} data-testid={`${testId}-save`} />
        <Button size="small" icon={<CloseOutlined />} onClick={() => setEditing(false)} aria-label={t('common.cancel')} />
      </Space.Compact>
      {invalid && <Typography.Text type="danger" style={{ fontSize: 12 }}>{t('customers.profile.dateFormat')}</Typography.Text>}
    </Flex>
  );
}
