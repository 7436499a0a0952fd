import { useTranslation } from 'react-i18next';
import type { ImportPreview, ImportProblemView } from '../../../app/contract/data-api';

/** Where a problem is: the file, and its line (NDJSON) or entry (a Bundle). */
function placeOf(problem: ImportProblemView): { key: string; values: Record<string, string | number> } {
  if (problem.line !== undefined) return { key: 'import.place.line', values: { file: problem.file, line: problem.line } };
  if (problem.entry !== undefined) return { key: 'import.place.entry', values: { file: problem.file, entry: problem.entry } };
  return { key: 'import.place.file', values: { file: problem.file } };
}

/** What an import would do, in counts, then what it skips and why, then each problem with its place. */
export function ImportPreviewView({ preview }: { preview: ImportPreview }) {
  const { t } = useTranslation();
  const skippedTypes = Object.entries(preview.skipped.types);
  return (
    <div data-testid="import-preview">
      <h2>{t('import.preview.title', { count: preview.resources })}</h2>
      <table className="counts">
        <thead>
          <tr>
            <th scope="col">{t('import.preview.record')}</th>
            <th scope="col">{t('import.preview.created')}</th>
            <th scope="col">{t('import.preview.updated')}</th>
            <th scope="col">{t('import.preview.unchanged')}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="import-patients">
            <th scope="row">{t('import.preview.patients')}</th>
            <td>{preview.patients.created}</td>
            <td>{preview.patients.updated}</td>
            <td>{preview.patients.unchanged}</td>
          </tr>
          <tr data-testid="import-readings">
            <th scope="row">{t('import.preview.readings')}</th>
            <td>{preview.readings.created}</td>
            <td>—</td>
            <td>{preview.readings.unchanged}</td>
          </tr>
          <tr data-testid="import-visits">
            <th scope="row">{t('import.preview.visits')}</th>
            <td>{preview.visits.created}</td>
            <td>—</td>
            <td>{preview.visits.unchanged}</td>
          </tr>
          {preview.consents.created + preview.consents.unchanged > 0 && (
            <tr data-testid="import-consents">
              <th scope="row">{t('import.preview.consents')}</th>
              <td>{preview.consents.created}</td>
              <td>—</td>
              <td>{preview.consents.unchanged}</td>
            </tr>
          )}
        </tbody>
      </table>
      {(skippedTypes.length > 0 || preview.skipped.notFinal + preview.skipped.notKept + preview.skipped.computedHere > 0) && (
        <>
          <h3>{t('import.skipped.title')}</h3>
          <ul>
            {skippedTypes.map(([type, count]) => (
              <li key={type}>{t('import.skipped.type', { type, count })}</li>
            ))}
            {preview.skipped.notFinal > 0 && <li>{t('import.skipped.notFinal', { count: preview.skipped.notFinal })}</li>}
            {preview.skipped.notKept > 0 && <li>{t('import.skipped.notKept', { count: preview.skipped.notKept })}</li>}
            {preview.skipped.computedHere > 0 && <li>{t('import.skipped.computedHere', { count: preview.skipped.computedHere })}</li>}
          </ul>
        </>
      )}
      {preview.problemCount > 0 && (
        <div role="alert" className="banner bad" data-testid="import-problems">
          <p>{t('import.problems.title', { count: preview.problemCount })}</p>
          <ul>
            {preview.problems.map((problem, i) => {
              const place = placeOf(problem);
              return (
                <li key={i}>
                  {t(place.key, place.values)} <code>{problem.path}</code>: {t(problem.key, problem.params ?? {})}
                </li>
              );
            })}
          </ul>
          {preview.problemCount > preview.problems.length && <p>{t('import.problems.more', { count: preview.problemCount - preview.problems.length })}</p>}
        </div>
      )}
    </div>
  );
}
