import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  ApiOutlined,
  ApartmentOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  ClusterOutlined,
  CommentOutlined,
  CrownOutlined,
  DashboardOutlined,
  GiftOutlined,
  MessageOutlined,
  QrcodeOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TagsOutlined,
  TeamOutlined,
} from '@ant-design/icons';

/**
 * The console's areas, in menu order. A new feature plugs in by adding (or completing)
 * one entry: its route, menu item and overview card all come from here.
 */
export interface NavEntry {
  key: string;
  /** Route path under the shell ('' is the index page); sub-routes live in the page. */
  path: string;
  icon: ReactNode;
  labelKey: string;
  element: LazyExoticComponent<ComponentType>;
  /** Hidden from the menu, and answered with 403, without this permission. */
  permission?: string;
  /** False while the page is only an empty state. */
  available: boolean;
  /** The area's own pages, shown as tabs inside it (paths relative to the area). */
  sections?: readonly NavSection[];
}

export interface NavSection {
  name: string;
  path: string;
  labelKey: string;
  /** Hidden without this permission (on top of the area's). */
  permission?: string;
}

const CUSTOMER_SECTIONS: readonly NavSection[] = [
  { name: 'list', path: '', labelKey: 'customers.sections.list' },
  { name: 'reviews', path: 'reviews', labelKey: 'customers.sections.reviews' },
  { name: 'imports', path: 'imports', labelKey: 'customers.sections.imports', permission: 'imports.run' },
];

const TAG_SECTIONS: readonly NavSection[] = [
  { name: 'catalog', path: '', labelKey: 'tagging.sections.catalog' },
  { name: 'rules', path: 'rules', labelKey: 'tagging.sections.rules' },
];

const SEGMENT_SECTIONS: readonly NavSection[] = [
  { name: 'list', path: '', labelKey: 'segmentBuilder.sections.list' },
  { name: 'rfm', path: 'rfm', labelKey: 'segmentBuilder.sections.rfm' },
];

const JOURNEY_SECTIONS: readonly NavSection[] = [
  { name: 'list', path: '', labelKey: 'journeys.sections.list' },
  { name: 'playbooks', path: 'playbooks', labelKey: 'journeys.sections.playbooks' },
];

const MESSAGING_SECTIONS: readonly NavSection[] = [
  { name: 'outbox', path: '', labelKey: 'messaging.sections.outbox' },
  { name: 'deadLetters', path: 'dead-letters', labelKey: 'messaging.sections.deadLetters' },
  { name: 'groupPosts', path: 'group-posts', labelKey: 'messaging.sections.groupPosts' },
  { name: 'templates', path: 'templates', labelKey: 'messaging.sections.templates' },
  { name: 'settings', path: 'settings', labelKey: 'messaging.sections.settings', permission: 'workspace.manage' },
];

export const NAV: readonly NavEntry[] = [
  { key: 'overview', path: '', icon: <DashboardOutlined />, labelKey: 'nav.overview', element: lazy(() => import('../features/overview/OverviewPage.tsx')), available: true },
  { key: 'customers', path: 'customers', icon: <TeamOutlined />, labelKey: 'nav.customers', element: lazy(() => import('../features/customers/CustomersPage.tsx')), permission: 'customers.read', available: true, sections: CUSTOMER_SECTIONS },
  { key: 'tags', path: 'tags', icon: <TagsOutlined />, labelKey: 'nav.tags', element: lazy(() => import('../features/tags/TagsPage.tsx')), permission: 'tags.read', available: true, sections: TAG_SECTIONS },
  { key: 'segments', path: 'segments', icon: <ClusterOutlined />, labelKey: 'nav.segments', element: lazy(() => import('../features/segments/SegmentsPage.tsx')), permission: 'segments.read', available: true, sections: SEGMENT_SECTIONS },
  { key: 'journeys', path: 'journeys', icon: <ApartmentOutlined />, labelKey: 'nav.journeys', element: lazy(() => import('../features/journeys/JourneysPage.tsx')), permission: 'journeys.read', available: true, sections: JOURNEY_SECTIONS },
  { key: 'tasks', path: 'tasks', icon: <CheckSquareOutlined />, labelKey: 'nav.tasks', element: lazy(() => import('../features/tasks/TasksPage.tsx')), permission: 'tasks.read', available: true },
  { key: 'messaging', path: 'messaging', icon: <MessageOutlined />, labelKey: 'nav.messaging', element: lazy(() => import('../features/messaging/MessagingPage.tsx')), permission: 'messages.read', available: true, sections: MESSAGING_SECTIONS },
  { key: 'acquisition', path: 'acquisition', icon: <QrcodeOutlined />, labelKey: 'nav.acquisition', element: lazy(() => import('../features/acquisition/AcquisitionPage.tsx')), available: false },
  { key: 'community', path: 'community', icon: <CommentOutlined />, labelKey: 'nav.community', element: lazy(() => import('../features/community/CommunityPage.tsx')), available: false },
  { key: 'campaigns', path: 'campaigns', icon: <GiftOutlined />, labelKey: 'nav.campaigns', element: lazy(() => import('../features/campaigns/CampaignsPage.tsx')), available: false },
  { key: 'loyalty', path: 'loyalty', icon: <CrownOutlined />, labelKey: 'nav.loyalty', element: lazy(() => import('../features/loyalty/LoyaltyPage.tsx')), available: false },
  { key: 'content', path: 'content', icon: <ReadOutlined />, labelKey: 'nav.content', element: lazy(() => import('../features/content/ContentPage.tsx')), available: false },
  { key: 'analytics', path: 'analytics', icon: <BarChartOutlined />, labelKey: 'nav.analytics', element: lazy(() => import('../features/analytics/AnalyticsPage.tsx')), permission: 'analytics.read', available: false },
  { key: 'compliance', path: 'compliance', icon: <SafetyCertificateOutlined />, labelKey: 'nav.compliance', element: lazy(() => import('../features/compliance/CompliancePage.tsx')), available: false },
  { key: 'connectors', path: 'connectors', icon: <ApiOutlined />, labelKey: 'nav.connectors', element: lazy(() => import('../features/connectors/ConnectorsPage.tsx')), available: false },
  { key: 'settings', path: 'settings', icon: <SettingOutlined />, labelKey: 'nav.settings', element: lazy(() => import('../features/settings/SettingsPage.tsx')), available: true },
];

/** The entry whose path holds `pathname`. */
export function activeEntry(pathname: string): NavEntry | undefined {
  const first = pathname.split('/').filter(Boolean)[0] ?? '';
  return NAV.find((e) => e.path === first);
}
