import type { TFunction } from 'i18next';
import type { TransitionDimension } from './types.ts';

/** A class, stage, layer or tier as the transitions show it; null is "no value". */
export function transitionValueLabel(t: TFunction, dimension: TransitionDimension, value: string | null): string {
  if (value === null) return t('rfm.noValue');
  return dimension === 'rfm_class' ? t(`rfm.classes.${value}`) : t(`rfm.values.${value}`, { defaultValue: value });
}
