import { ApiError } from '../../shared/errors';
import type { HandlerTable } from './dispatch';
import type { Host } from './host';

const NO_DIALOGS =
  'Native file dialogs exist only in the desktop app; in the browser, type or paste the path instead.';

export function dialogHandlers(host: Host): Pick<HandlerTable, 'dialog.open' | 'dialog.save'> {
  return {
    'dialog.open': (request) => {
      if (!host.dialogs) throw new ApiError('unsupported', NO_DIALOGS);
      return host.dialogs.open(request);
    },
    'dialog.save': (request) => {
      if (!host.dialogs) throw new ApiError('unsupported', NO_DIALOGS);
      return host.dialogs.save(request);
    },
  };
}
