import { Notification } from 'electron';

export interface NotifyOptions {
  title: string;
  body: string;
  /** E.g. bring the window forward on the finished job's page. */
  onClick?: () => void;
}

/** A desktop notification (job finished, failed …); false where the system has none. */
export function notify(opts: NotifyOptions): boolean {
  if (!Notification.isSupported()) return false;
  const notification = new Notification({ title: opts.title, body: opts.body });
  const onClick = opts.onClick;
  if (onClick) notification.on('click', () => onClick());
  notification.show();
  return true;
}
