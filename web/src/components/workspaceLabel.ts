import type { TFunction } from 'i18next';
import type { MeWorkspace } from '../app/api/types.ts';

const DEMO_NAME = '演示品牌';

/** The demo workspace keeps its seeded Chinese name in the data and is shown translated. */
export function workspaceLabel(t: TFunction, workspace: Pick<MeWorkspace, 'name' | 'isDemo'>): string {
  return workspace.isDemo && workspace.name === DEMO_NAME ? t('workspace.demoName') : workspace.name;
}
