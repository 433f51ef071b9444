import { useMemo } from 'react';
import { Button, Checkbox, Flex, Segmented, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { newCondition } from './catalog.ts';
import { ConditionEditor } from './ConditionEditor.tsx';
import { EditorContext, useEditor, type EditorEnv, type RuleLookups } from './editorContext.ts';
import { Problems } from './Problems.tsx';
import { asRootGroup, pathKey, updateAt, type NodeProblem } from './tree.ts';
import { isGroup, type Group, type NodePath, type Rule } from './types.ts';

const FRESH_CONDITION = () => newCondition('order_stat');

function GroupEditor({ group, path, depth }: { group: Group; path: NodePath; depth: number }) {
  const { t } = useTranslation();
  const { disabled, edit } = useEditor();
  const key = pathKey(path);
  const append = (node: Rule) => edit(path, (g) => (isGroup(g) ? { ...g, children: [...g.children, node] } : g));
  return (
    <div
      data-testid={`group-${key}`}
      style={{ border: '1px solid rgba(5, 5, 5, 0.1)', borderRadius: 8, padding: 12, background: depth % 2 ? 'rgba(0, 0, 0, 0.02)' : undefined }}
    >
      <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
        <Segmented<'and' | 'or'>
          size="small"
          value={group.type}
          disabled={disabled}
          onChange={(type) => edit(path, (g) => (isGroup(g) ? { ...g, type } : g))}
          options={[
            { value: 'and', label: <span data-testid={`combinator-and-${key}`}>{t('segmentBuilder.editor.all')}</span> },
            { value: 'or', label: <span data-testid={`combinator-or-${key}`}>{t('segmentBuilder.editor.any')}</span> },
          ]}
        />
        <Typography.Text type="secondary">{t('segmentBuilder.editor.ofThese')}</Typography.Text>
      </Flex>
      <Flex vertical gap={8}>
        {group.children.map((child, i) => (
          <NodeRow key={i} node={child} path={[...path, 'children', i]} depth={depth} />
        ))}
        {group.children.length === 0 && <Typography.Text type="secondary">{t('segmentBuilder.editor.empty')}</Typography.Text>}
      </Flex>
      {!disabled && (
        <Flex gap={8} style={{ marginTop: 10 }}>
          <Button size="small" icon={<PlusOutlined />} onClick={() => append(FRESH_CONDITION())} data-testid={`add-condition-${key}`}>
            {t('segmentBuilder.editor.addCondition')}
          </Button>
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => append({ type: group.type === 'and' ? 'or' : 'and', children: [FRESH_CONDITION()] })}
            data-testid={`add-group-${key}`}
          >
            {t('segmentBuilder.editor.addGroup')}
          </Button>
        </Flex>
      )}
      <Problems path={path} />
    </div>
  );
}

/** A child of a group: the node itself or, when excluded, the node inside its `not`. */
function NodeRow({ node, path, depth }: { node: Rule; path: NodePath; depth: number }) {
  const { t } = useTranslation();
  const { disabled, edit } = useEditor();
  const key = pathKey(path);
  const negated = node.type === 'not';
  const inner = node.type === 'not' ? node.child : node;
  const innerPath = negated ? [...path, 'child'] : path;
  return (
    <Flex gap={8} align="flex-start" data-testid={`node-${key}`}>
      <span data-testid={`negate-${key}`} style={{ paddingTop: 5, whiteSpace: 'nowrap' }}>
        <Checkbox checked={negated} disabled={disabled} onChange={(e) => edit(path, (n) => (e.target.checked ? { type: 'not', child: n } : n.type === 'not' ? n.child : n))}>
          {t('segmentBuilder.editor.exclude')}
        </Checkbox>
      </span>
      <div style={{ flex: 1, minWidth: 0 }}>
        {isGroup(inner) ? (
          <GroupEditor group={inner} path={innerPath} depth={depth + 1} />
        ) : inner.type === 'not' ? (
          <NodeRow node={inner} path={innerPath} depth={depth} />
        ) : (
          <ConditionEditor condition={inner} path={innerPath} />
        )}
        {negated && <Problems path={path} />}
      </div>
      {!disabled && (
        <Button type="text" danger icon={<DeleteOutlined />} onClick={() => edit(path, () => null)} aria-label={t('common.delete')} data-testid={`remove-${key}`} />
      )}
    </Flex>
  );
}

export interface RuleEditorProps {
  rule: Group;
  onChange?(next: Group): void;
  problems?: ReadonlyMap<string, NodeProblem[]>;
  lookups: RuleLookups;
  today: string;
  /** Read-only: the same tree, nothing can change. */
  disabled?: boolean;
}

const NO_PROBLEMS: ReadonlyMap<string, NodeProblem[]> = new Map();

/** The rule tree editor: `and` / `or` groups, excluded (`not`) nodes and conditions. */
export function RuleEditor({ rule, onChange, problems = NO_PROBLEMS, lookups, today, disabled = false }: RuleEditorProps) {
  const env = useMemo<EditorEnv>(
    () => ({
      disabled: disabled || !onChange,
      problems,
      lookups,
      today,
      edit: (path, update) => onChange?.(asRootGroup(updateAt(rule, path, update))),
    }),
    [rule, onChange, problems, lookups, today, disabled],
  );
  return (
    <EditorContext value={env}>
      <div data-testid="rule-editor">
        <GroupEditor group={rule} path={[]} depth={0} />
      </div>
    </EditorContext>
  );
}
