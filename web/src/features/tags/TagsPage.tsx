import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AreaTabs, sectionAt, useAreaSections } from '../../app/AreaTabs.tsx';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { TagCatalogPage } from './TagCatalogPage.tsx';

const TagRulesPage = lazy(() => import('./rules/TagRulesPage.tsx'));

/** The tags area: the tag manager and the automatic tag rules, as tabs. */
export default function TagsPage() {
  const location = useLocation();
  const sections = useAreaSections('tags');
  return (
    <div data-testid="tags-area">
      <AreaTabs area="tags" sections={sections} active={sectionAt(sections, location.pathname, 'catalog')} />
      <Suspense fallback={<FullPageSpin />}>
        <Routes>
          <Route index element={<TagCatalogPage />} />
          <Route path="rules" element={<TagRulesPage />} />
          <Route path="*" element={<Navigate to="/tags" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}
