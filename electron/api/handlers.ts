import { systemHandlers } from '../system/handlers';
import { jobsHandlers } from '../jobs/handlers';
import { workspaceHandlers } from '../workspace/handlers';
import { dbHandlers } from '../workspace/dbHandlers';
import { runsHandlers } from '../runs/handlers';
import { dialogHandlers } from './dialogs';
import { stepsHandlers } from '../steps/handlers';
import { launchHandlers } from '../launch/handlers';
import { experimentsHandlers } from '../experiments/handlers';
import { smaHandlers } from '../nanopore/ingest/handlers';
import { librariesHandlers } from '../libraries/handlers';
import { readsHandlers } from '../reads/handlers';
import { demoHandlers } from '../demo/handlers';
import type { HandlerTable } from './dispatch';
import type { Session } from './session';

/** The handler table: one implementation of every operation in shared/contract, grouped by domain. */
export function createHandlers(session: Session): HandlerTable {
  return {
    ...systemHandlers(session),
    ...workspaceHandlers(session),
    ...dbHandlers(session),
    ...dialogHandlers(session.host),
    // runs handlers
    ...runsHandlers(session),
    // jobs handlers
    ...jobsHandlers(session),
    // steps and tools handlers
    ...stepsHandlers(session),
    ...launchHandlers(session),
    // experiments and basecall runs handlers
    ...experimentsHandlers(session),
    ...smaHandlers(session),
    // library specs handlers
    ...librariesHandlers(session),
    ...readsHandlers(session),
    ...demoHandlers(session),
  };
}
