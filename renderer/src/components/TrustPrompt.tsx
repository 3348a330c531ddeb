import { useEffect, useId } from 'react';
import { useTrustStore } from '../stores/trustStore';
import { ErrorNotice } from './Notice';
import { Path } from './Path';

/**
 * Asks the user to trust the open workspace when it brings step definitions of its own (which run
 * nothing until then): each file with the programs it would start, "Trust this workspace" or
 * "Not now". Shown again when the definitions change.
 */
export function TrustPrompt() {
  const { state, error, busy, dismissedHash, revision, load, trust, dismiss, review } = useTrustStore();
  const titleId = useId();

  // Asked again when the trust changed or another workspace opened (each bumps the revision).
  useEffect(() => {
    void load();
  }, [load, revision]);

  if (!state || state.trusted || state.hash === null) return null;
  const n = state.definitions.length;
  if (dismissedHash === state.hash) {
    return (
      <div className="notice notice-warn compact trust-reminder" role="status" data-testid="trust-reminder">
        <span className="notice-message">This workspace&apos;s own step definitions are not trusted: they run nothing.</span>
        <button type="button" className="button small-button" onClick={review}>
          Review
        </button>
      </div>
    );
  }
  const hash = state.hash;
  return (
    <section className="card trust-card" aria-labelledby={titleId} data-testid="trust-prompt">
      <header className="card-header">
        <h2 id={titleId}>Trust the step definitions of this workspace?</h2>
      </header>
      <div className="card-body">
        <p>
          The workspace <Path value={state.workspace} /> brings {n === 1 ? 'a step definition' : `${n} step definitions`} of its own. Until you trust it,{' '}
          {n === 1 ? 'it runs' : 'they run'} nothing: no launch, not even a version check. Trust it only if you know where these files come from: a step can
          start any program on this computer, as you.
        </p>
        <ul className="trust-list">
          {state.definitions.map((d) => (
            <li key={d.file} data-testid={`trust-def-${d.file}`}>
              <div>
                <span className="mono">steps/{d.file}</span>
                {d.stepName ? <span> — {d.stepName}</span> : null}
              </div>
              {d.problem ? (
                <div className="small muted">Did not load, so it runs nothing: {d.problem}</div>
              ) : (
                <>
                  <div className="trust-programs">
                    <span className="field-label">Would run</span>{' '}
                    {d.programs.map((p) => (
                      <code key={p} className="mono trust-program">
                        {p}
                      </code>
                    ))}
                  </div>
                  <pre className="mono small trust-commands">{d.commands.join('\n')}</pre>
                </>
              )}
            </li>
          ))}
        </ul>
        {error ? <ErrorNotice error={error} compact /> : null}
        <div className="form-actions">
          <button type="button" className="button primary" disabled={busy} onClick={() => void trust(hash)} data-testid="trust-workspace">
            {busy ? 'Trusting…' : 'Trust this workspace'}
          </button>
          <button type="button" className="button" disabled={busy} onClick={dismiss}>
            Not now
          </button>
        </div>
      </div>
    </section>
  );
}
