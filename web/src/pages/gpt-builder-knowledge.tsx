// The builder's knowledge section: upload files (the raw file, its name in ?filename=), watch
// each one until it is indexed, see the limits, delete files. Errors (415, 413, 422) are shown
// as the API words them.
import { useEffect, useState, type ChangeEvent } from 'react';
import type { KnowledgeFile, KnowledgeStatus } from '../api/gpt-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { fileProblem, stillIndexing, uploadKnowledgeFile, type FileProblem } from './gpt-builder-logic';

const pollMilliseconds = 1_000;

export function KnowledgeSection({ gptId }: { readonly gptId: string }) {
  const { t, client, format } = useApp();
  const base = `/store/v1/gpts/${encodeURIComponent(gptId)}/knowledge`;
  const files = useApiData((signal) => client.get<{ readonly data: readonly KnowledgeFile[] }>(`${base}/files`, {}, signal), [gptId]);
  const status = useApiData((signal) => client.get<KnowledgeStatus>(base, {}, signal), [gptId]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<FileProblem | null>(null);
  const list = files.data?.data ?? [];
  const { pageItems, controls } = useLocalPages(list, 10);
  const indexing = stillIndexing(list);
  const { reload: reloadFiles } = files;
  const { reload: reloadStatus } = status;

  // Until every file says indexed (or failed), read the list again.
  useEffect(() => {
    if (!indexing) return undefined;
    const timer = setTimeout(() => {
      reloadFiles();
      reloadStatus();
    }, pollMilliseconds);
    return () => clearTimeout(timer);
  }, [indexing, list, reloadFiles, reloadStatus]);

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const chosen = Array.from(input.files ?? []);
    setError(null);
    setProblem(null);
    for (const file of chosen) {
      const found = fileProblem(file, status.data?.limits);
      if (found !== null) {
        setProblem(found);
        continue;
      }
      setUploading(file.name);
      try {
        await uploadKnowledgeFile(client, gptId, file);
      } catch (failure) {
        setError(failure);
      }
      setUploading(null);
      reloadFiles();
      reloadStatus();
    }
    input.value = '';
  };

  const remove = async (file: KnowledgeFile) => {
    setError(null);
    try {
      await client.delete(`${base}/files/${encodeURIComponent(file.id)}`);
    } catch (failure) {
      setError(failure);
    }
    reloadFiles();
    reloadStatus();
  };

  return (
    <section className="panel" aria-labelledby="builder-knowledge-title">
      <h2 id="builder-knowledge-title">{t('gpts.knowledge.title')}</h2>
      {status.data === undefined ? null : (
        <p className="hint">
          {t('gpts.knowledge.summary', { files: format.number(status.data.files), maxFiles: format.number(status.data.limits.max_files), chunks: format.number(status.data.chunks), maxBytes: format.number(status.data.limits.max_file_bytes) })}
        </p>
      )}
      <div className="field">
        <label htmlFor="builder-knowledge-file">{t('gpts.knowledge.upload')}</label>
        <input id="builder-knowledge-file" type="file" multiple accept=".txt,.md,.html,.htm,.pdf,.docx,.csv,.json" disabled={uploading !== null} onChange={(event) => void upload(event)} />
        <p className="hint">{t('gpts.knowledge.types')}</p>
      </div>
      {uploading === null ? null : (
        <p role="status" aria-live="polite">
          <progress aria-label={t('gpts.knowledge.uploading', { name: uploading })} /> {t('gpts.knowledge.uploading', { name: uploading })}
        </p>
      )}
      {problem === null ? null : (
        <p className="notice notice-error" role="alert">
          {problem.key === 'gpts.knowledge.problem.size' ? t(problem.key, { name: problem.name, limit: format.number(problem.limit) }) : t(problem.key, { name: problem.name })}
        </p>
      )}
      <ErrorNotice error={error} />
      <ErrorNotice error={files.error} />
      {files.loading && files.data === undefined ? <Loading /> : null}
      {list.length === 0 ? (
        <p>{t('gpts.knowledge.none')}</p>
      ) : (
        <div className="table-scroll">
          <table aria-label={t('gpts.knowledge.files')}>
            <thead>
              <tr>
                <th scope="col">{t('gpts.knowledge.file')}</th>
                <th scope="col">{t('gpts.knowledge.size')}</th>
                <th scope="col">{t('gpts.knowledge.status')}</th>
                <th scope="col">{t('gpts.knowledge.chunks')}</th>
                <th scope="col">{t('gpts.knowledge.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {pageItems.map((file) => (
                <tr key={file.id}>
                  <td>{file.title === file.source ? file.source : `${file.title} (${file.source})`}</td>
                  <td>{t('gpts.knowledge.bytes', { bytes: format.number(file.bytes) })}</td>
                  <td data-testid="knowledge-status">
                    {file.status === 'indexed' ? `✓ ${t('gpts.knowledge.indexed')}` : file.status === 'failed' ? `✗ ${t('gpts.knowledge.failed')}${file.error === null ? '' : `: ${file.error}`}` : `… ${t('gpts.knowledge.indexing')}`}
                  </td>
                  <td>{format.number(file.chunk_count)}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => void remove(file)} aria-label={t('gpts.knowledge.deleteFile', { name: file.source })}>
                      {t('gpts.knowledge.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {controls}
    </section>
  );
}
