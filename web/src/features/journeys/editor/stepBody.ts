/** What every step-type form body gets. */
import type { Step } from '../types.ts';

export type Of<T extends Step['type']> = Extract<Step, { type: T }>;

export interface Body<T extends Step['type']> {
  step: Of<T>;
  set(next: Of<T>): void;
  disabled: boolean;
  /** The issue texts of a field of the step (`duration`, `content.text`), if any. */
  problems(field: string): string[] | undefined;
}
