import { useState } from 'react';
import { App, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { segmentsApi } from './api.ts';
import type { RuleLookups } from './rule/editorContext.ts';
import type { Segment } from './types.ts';

/** Gives one tag to every current member of a segment. */
export function TagMembersModal({ segment, lookups, open, onClose }: { segment: Segment; lookups: RuleLookups; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [tagId, setTagId] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!tagId) return;
    setBusy(true);
    try {
      const r = await segmentsApi.tagMembers(segment.id, tagId);
      message.success(t('segmentBuilder.tagAll.done', { changed: r.changed, unchanged: r.unchanged }));
      onClose();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('segmentBuilder.tagAll.title')}
      onCancel={onClose}
      onOk={submit}
      okText={t('segmentBuilder.tagAll.submit')}
      okButtonProps={{ disabled: !tagId, loading: busy, 'data-testid': 'tag-all-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('segmentBuilder.tagAll.explain', { count: segment.memberCount })}</Typography.Paragraph>
      <Select<string>
        value={tagId}
        onChange={setTagId}
        style={{ width: '100%' }}
        placeholder={t('segmentBuilder.tagAll.choose')}
        showSearch={{ optionFilterProp: 'label' }}
        options={lookups.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
        data-testid="tag-all-tag"
      />
    </Modal>
  );
}
