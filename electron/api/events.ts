import { EventEmitter } from 'node:events';
import { events, type EventName, type EventPayload } from '../../shared/contract';

export interface BusEvent {
  name: EventName;
  payload: unknown;
}

/** Events leave the main process through one bus; each door forwards them (IPC, SSE). */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const checked = events[name].parse(payload);
    this.emitter.emit('event', { name, payload: checked } satisfies BusEvent);
  }

  subscribe(listener: (event: BusEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
