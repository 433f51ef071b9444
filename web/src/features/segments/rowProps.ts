import type { HTMLAttributes } from 'react';

/** Table row props carrying a test id (antd's onRow type has no data attributes). */
export function rowTestId(testId: string): HTMLAttributes<HTMLElement> {
  return { 'data-testid': testId } as HTMLAttributes<HTMLElement>;
}
