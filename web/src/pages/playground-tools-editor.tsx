// The playground's function tools: the tools sent with every message, each removable, and a
// small editor for a new one (name, description, JSON Schema parameters) that says what is wrong
// before the tool is added.
import { useState, type FormEvent } from 'react';
import { useApp } from '../app/app-context';
import { checkToolDraft, emptyToolDraft, type FunctionTool, type ToolDraft, type ToolProblem } from './playground-tools-logic';

export default function ToolsEditor({ tools, onChange }: { readonly tools: readonly FunctionTool[]; readonly onChange: (tools: readonly FunctionTool[]) => void }) {
  const { t } = useApp();
  const [draft, setDraft] = useState<ToolDraft>(emptyToolDraft);
  const [problems, setProblems] = useState<readonly ToolProblem[]>([]);
  const [open, setOpen] = useState(false);

  const add = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkToolDraft(draft, tools.map((tool) => tool.function.name));
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    onChange([...tools, checked.tool]);
    setDraft(emptyToolDraft);
    setOpen(false);
  };
  const nameProblem = problems.find((problem) => problem === 'name' || problem === 'nameTaken');
  const schemaProblem = problems.find((problem) => problem !== 'name' && problem !== 'nameTaken');

  return (
    <section className="playground-tools" aria-labelledby="tools-title">
      <h2 id="tools-title">{t('account.tools.title')}</h2>
      {tools.length === 0 ? (
        <p className="hint">{t('account.tools.none')}</p>
      ) : (
        <ul className="chips" aria-label={t('account.tools.listLabel')}>
          {tools.map((tool) => (
            <li key={tool.function.name}>
              <code>{tool.function.name}</code>
              <button type="button" className="secondary" aria-label={t('account.tools.removeNamed', { name: tool.function.name })} onClick={() => onChange(tools.filter((other) => other !== tool))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="secondary" aria-expanded={open} aria-controls="tool-editor" onClick={() => setOpen(!open)}>
        {t('account.tools.add')}
      </button>
      {open ? (
        <form id="tool-editor" onSubmit={add} aria-label={t('account.tools.editor')} noValidate>
          <div className="field">
            <label htmlFor="tool-name">{t('account.tools.name')}</label>
            <input id="tool-name" value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} aria-invalid={nameProblem !== undefined} aria-describedby="tool-name-hint" spellCheck={false} />
            <p className="hint" id="tool-name-hint">
              {nameProblem === undefined ? t('account.tools.nameHint') : <strong>{t(`account.tools.problem.${nameProblem}`)}</strong>}
            </p>
          </div>
          <div className="field">
            <label htmlFor="tool-description">{t('account.tools.description')}</label>
            <input id="tool-description" value={draft.description} onChange={(event) => setDraft({ ...draft, description: event.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="tool-parameters">{t('account.tools.parameters')}</label>
            <textarea id="tool-parameters" className="code-input" rows={8} value={draft.parameters} onChange={(event) => setDraft({ ...draft, parameters: event.target.value })} aria-invalid={schemaProblem !== undefined} aria-describedby="tool-parameters-hint" spellCheck={false} />
            <p className="hint" id="tool-parameters-hint">
              {schemaProblem === undefined ? t('account.tools.parametersHint') : <strong>{t(`account.tools.problem.${schemaProblem}`)}</strong>}
            </p>
          </div>
          <div className="actions">
            <button type="submit">{t('account.tools.save')}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
