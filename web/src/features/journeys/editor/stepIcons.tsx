import type { ReactNode } from 'react';
import {
  ApiOutlined, BranchesOutlined, ClockCircleOutlined, FieldTimeOutlined, ForkOutlined, SendOutlined, TagOutlined, UserSwitchOutlined,
} from '@ant-design/icons';
import type { StepType } from '../types.ts';

export const STEP_ICONS: Record<StepType, ReactNode> = {
  send: <SendOutlined />,
  wait: <ClockCircleOutlined />,
  wait_until: <FieldTimeOutlined />,
  branch: <BranchesOutlined />,
  split: <ForkOutlined />,
  tag: <TagOutlined />,
  task: <UserSwitchOutlined />,
  webhook: <ApiOutlined />,
};
