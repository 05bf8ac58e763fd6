/**
 * Prometheus text exposition (format 0.0.4) for the relay, without a client library: a few
 * counters, gauges read at scrape time, and one latency histogram. Names follow
 * `moltbook_<component>_<name>_<unit>` (STYLE.md). One instance per server: no singletons.
 */
type Labels = Readonly<Record<string, string>>;

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 35];

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) =>
      `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`,
  );
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

class LabelledCounter {
  readonly #values = new Map<string, number>();
  inc(labels: Labels, by = 1): void {
    const key = labelText(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  lines(name: string): string[] {
    return [...this.#values].map(([l, v]) => `${name}${l} ${v}`);
  }
}

export interface GaugeSources {
  readonly queuedRows: () => Promise<number>;
  readonly longPollWaiters: () => number;
}

export class RelayMetrics {
  readonly requests = new LabelledCounter();
  readonly rateLimited = new LabelledCounter();
  #messagesStored = 0;
  #messagesAccepted = 0;
  readonly #buckets = new Array<number>(DURATION_BUCKETS.length).fill(0);
  #durationSum = 0;
  #durationCount = 0;

  recordRequest(route: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ route, method, status: String(status) });
    if (route === 'GET /messages') return; // long-polls would drown the latency figure
    DURATION_BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.#buckets[i] = (this.#buckets[i] ?? 0) + 1;
    });
    this.#durationSum += seconds;
    this.#durationCount += 1;
  }

  recordMessage(rowsStored: number): void {
    this.#messagesAccepted += 1;
    this.#messagesStored += rowsStored;
  }

  async render(g: GaugeSources): Promise<string> {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    metric(
      'moltbook_relay_http_requests_total',
      'counter',
      'HTTP requests by route pattern, method and status',
      this.requests.lines('moltbook_relay_http_requests_total'),
    );
    metric(
      'moltbook_relay_http_request_duration_seconds',
      'histogram',
      'Time to answer a request (long-polls excluded)',
      [
        ...DURATION_BUCKETS.map(
          (b, i) =>
            `moltbook_relay_http_request_duration_seconds_bucket{le="${b}"} ${this.#buckets[i]}`,
        ),
        `moltbook_relay_http_request_duration_seconds_bucket{le="+Inf"} ${this.#durationCount}`,
        `moltbook_relay_http_request_duration_seconds_sum ${this.#durationSum}`,
        `moltbook_relay_http_request_duration_seconds_count ${this.#durationCount}`,
      ],
    );
    metric('moltbook_relay_messages_accepted_total', 'counter', 'POST /messages accepted', [
      `moltbook_relay_messages_accepted_total ${this.#messagesAccepted}`,
    ]);
    metric(
      'moltbook_relay_messages_stored_total',
      'counter',
      'Queue rows stored by accepted messages (one per recipient device)',
      [`moltbook_relay_messages_stored_total ${this.#messagesStored}`],
    );
    metric('moltbook_relay_queue_depth_rows', 'gauge', 'Rows waiting in all device queues', [
      `moltbook_relay_queue_depth_rows ${await g.queuedRows()}`,
    ]);
    metric('moltbook_relay_longpoll_waiters', 'gauge', 'Long-polls currently waiting', [
      `moltbook_relay_longpoll_waiters ${g.longPollWaiters()}`,
    ]);
    metric(
      'moltbook_relay_rate_limit_rejections_total',
      'counter',
      'Requests answered 429, by limit',
      this.rateLimited.lines('moltbook_relay_rate_limit_rejections_total'),
    );
    return `${out.join('\n')}\n`;
  }
}
