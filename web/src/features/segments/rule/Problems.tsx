import { Flex, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { reasonText } from '../../../app/api/errors.ts';
import { useEditor } from './editorContext.ts';
import { pathKey, type NodeProblem } from './tree.ts';
import type { NodePath } from './types.ts';

/** Reasons whose words come from the server's message (it says what the op needs). */
const GENERIC = new Set(['custom', 'invalid_value', 'invalid_union', 'invalid_type']);

export function problemText(t: TFunction, p: NodeProblem): string {
  const head = p.field.split('.')[0] ?? '';
  const where = head ? t(`segmentBuilder.problemFields.${head}`, { defaultValue: head }) : '';
  // The builder's own words for a reason, then the console's shared ones, then the server's message.
  const reason = reasonText(t, p.reason, p.message || p.reason, 'segmentBuilder');
  const detail = GENERIC.has(p.reason) && p.message ? ` (${p.message})` : '';
  return where ? t('segmentBuilder.editor.problemAt', { field: where, reason: reason + detail }) : reason + detail;
}

/** The server's validation problems of the node at `path`, shown next to it. */
export function Problems({ path }: { path: NodePath }) {
  const { t } = useTranslation();
  const { problems } = useEditor();
  const key = pathKey(path);
  const list = problems.get(key);
  if (!list?.length) return null;
  return (
    <Flex vertical style={{ marginTop: 4 }} data-testid={`problem-${key}`}>
      {list.map((p, i) => (
        <Typography.Text key={i} type="danger">
          {problemText(t, p)}
        </Typography.Text>
      ))}
    </Flex>
  );
}
