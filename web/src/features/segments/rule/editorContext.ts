import { createContext, useContext } from 'react';
import type { AttributeOption, IdentityTypeOption, TagOption } from '../types.ts';
import type { Member } from '../../../app/api/types.ts';
import type { NodeProblem } from './tree.ts';
import type { NodePath, Rule } from './types.ts';

/** Reference data the conditions pick from. */
export interface RuleLookups {
  tags: TagOption[];
  identityTypes: IdentityTypeOption[];
  attributes: AttributeOption[];
  members: Member[];
}

export interface EditorEnv {
  disabled: boolean;
  /** Server validation problems by node path key. */
  problems: ReadonlyMap<string, NodeProblem[]>;
  lookups: RuleLookups;
  /** Today in the workspace time zone, YYYY-MM-DD (defaults of day inputs). */
  today: string;
  /** Replaces the node at `path` (null removes it from its group). */
  edit(path: NodePath, update: (node: Rule) => Rule | null): void;
}

export const EditorContext = createContext<EditorEnv | null>(null);

export function useEditor(): EditorEnv {
  const env = useContext(EditorContext);
  if (!env) throw new Error('useEditor needs <EditorContext>');
  return env;
}
