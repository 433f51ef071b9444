import { ComingSoon } from '../../components/ComingSoon.tsx';

/** Placeholder until this area is built; replace with the area's pages. */
export default function TasksPage() {
  return <ComingSoon area="tasks" />;
}
