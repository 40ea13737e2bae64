import type { LiveEvent } from './live-events.js';

/** Which events a subscriber wants. */
export interface LiveFilter {
  tenantId: string;
  /** Only this agent's events, when set. */
  agent?: string | undefined;
}

/** A subscriber's sink: returns false when it cannot take more now (a slow client). */
export type LiveSink = (event: LiveEvent) => boolean;

/** Counters for health. */
export interface LiveStats {
  subscribers: number;
  published: number;
  dropped: number;
}

/**
 * Fans ingest-time events out to live-stream subscribers. Publishing never waits on a
 * subscriber: a sink that is full drops the event and the drop is counted (and reported to the
 * client by its route), so a slow reader never slows ingest or grows memory. The number of
 * subscribers is capped.
 */
export class LiveHub {
  private readonly subscribers = new Set<{ filter: LiveFilter; sink: LiveSink }>();
  private readonly s = { published: 0, dropped: 0 };

  constructor(private readonly maxSubscribers = 100) {}

  stats(): LiveStats {
    return { subscribers: this.subscribers.size, ...this.s };
  }

  /** Adds a subscriber; returns its unsubscribe function, or null when the hub is full. */
  subscribe(filter: LiveFilter, sink: LiveSink): (() => void) | null {
    if (this.subscribers.size >= this.maxSubscribers) return null;
    const entry = { filter, sink };
    this.subscribers.add(entry);
    return () => {
      this.subscribers.delete(entry);
    };
  }

  /** True when someone listens: building events is skipped otherwise (ingest pays nothing for the stream). */
  hasSubscribers(): boolean {
    return this.subscribers.size > 0;
  }

  publish(events: readonly LiveEvent[]): void {
    if (this.subscribers.size === 0) return;
    for (const event of events) {
      this.s.published++;
      for (const { filter, sink } of this.subscribers) {
        if (event.tenantId !== filter.tenantId) continue;
        if (filter.agent !== undefined && event.agent !== filter.agent) continue;
        if (!sink(event)) this.s.dropped++;
      }
    }
  }
}
