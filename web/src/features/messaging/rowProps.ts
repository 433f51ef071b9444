import type { HTMLAttributes } from 'react';

/** Table row props carrying a test id (antd's onRow type has no data attributes). */
export function rowTestId(testId: string, onClick?: () => void): HTMLAttributes<HTMLElement> {
  return { 'data-testid': testId, ...(onClick ? { onClick, style: { cursor: 'pointer' } } : {}) } as HTMLAttributes<HTMLElement>;
}
