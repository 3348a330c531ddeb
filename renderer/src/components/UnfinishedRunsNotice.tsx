import { useEffect, useState } from 'react';
import { unfinishedRunsMessage, unfinishedRunsWhere } from '../../../shared/format';
import type { UnfinishedRuns } from '../../../shared/schemas/workspace';
import { request } from '../stores/connectionStore';
import { InfoNotice } from './Notice';
import { Path } from './Path';

/**
 * Run folders that an interrupted run creation left, which Benchtop moved to trash/ when it opened
 * the workspace: said once, until dismissed (the folders stay in trash/ for the user to judge).
 */
export function UnfinishedRunsNotice() {
  const [notice, setNotice] = useState<UnfinishedRuns | null>(null);
  useEffect(() => {
    let live = true;
    request('workspace.unfinishedRuns', {}).then(
      (value) => live && setNotice(value),
      () => undefined, // the Dashboard's own figures report a broken connection
    );
    return () => {
      live = false;
    };
  }, []);
  if (!notice || notice.folders.length === 0) return null;
  const dismiss = () => void request('workspace.dismissUnfinishedRuns', {}).then(() => setNotice(null), () => undefined);
  return (
    <div data-testid="unfinished-runs">
      <InfoNotice>
        <div className="notice-with-action">
          <span className="notice-message">
            {unfinishedRunsMessage(notice.folders.length, notice.totalBytes)} {unfinishedRunsWhere(notice.folders.length)} <Path value={notice.trashDir} />.
          </span>
          <button type="button" className="button small-button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      </InfoNotice>
    </div>
  );
}
