import { useState, type ReactNode } from 'react';
import { toErrorBody } from '../lib/errors';
import { request } from '../stores/connectionStore';

/**
 * A server-side path: typed, or picked with the native dialog ("Choose…"). In the browser there is
 * no native dialog: the button says so politely and the text field does the job.
 */
export function PathInput({
  id,
  value,
  onChange,
  kind = 'file',
  placeholder,
  invalid,
  describedBy,
  label,
  testId,
  after,
}: {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  kind?: 'file' | 'folder';
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  label?: string;
  testId?: string;
  after?: ReactNode;
}) {
  const [note, setNote] = useState<string | null>(null);

  async function choose() {
    setNote(null);
    try {
      const result = await request('dialog.open', { kind, title: label ? `Choose ${label}` : undefined });
      if (result.paths[0]) onChange(result.paths[0]);
    } catch (err) {
      const body = toErrorBody(err);
      setNote(body.code === 'unsupported' ? 'No file dialog in the browser: type or paste the path on the computer running Benchtop.' : body.message);
    }
  }

  return (
    <div className="path-input">
      <div className="input-row">
        <input
          id={id}
          className="input mono"
          type="text"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder ?? (kind === 'folder' ? '/path/to/folder' : '/path/to/file')}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={invalid ? true : undefined}
          aria-describedby={describedBy}
          aria-label={id ? undefined : label}
          data-testid={testId}
        />
        <button type="button" className="button" onClick={() => void choose()}>
          Choose…
        </button>
        {after}
      </div>
      {note ? (
        <p className="field-note" role="status">
          {note}
        </p>
      ) : null}
    </div>
  );
}
