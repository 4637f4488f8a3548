/**
 * Counters and histograms for the hot path. prom-client's own `labels(...).inc()` and `observe()`
 * build a label object and a hash string on every call; here each series is resolved once
 * (`series(labels)`, at start-up or on its first use) and recording is plain arithmetic on it.
 * Both classes have the shape prom-client's Registry reads (`name`, `help`, `type`, `aggregator`,
 * `get()`), so the registry renders them and AggregatorRegistry sums them across workers.
 */
import type { Metric } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

/** One line of a rendered metric: its labels and value, and its name when it is not the metric's (`_bucket`). */
interface Value {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** A metric as prom-client's Registry and AggregatorRegistry read it from `get()`. */
interface Rendered {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  readonly values: Value[];
}

/** One counter series: `inc()` adds one. */
export class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(): void {
    this.value++;
  }
}

/** A metric's series by label set, each made on first use. */
abstract class SeriesSet<S> {
  readonly aggregator = 'sum';
  protected readonly all = new Map<string, S>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  protected abstract make(labels: Labels): S;

  /** The series for these labels, made on first use; keep it and record on it. */
  series(labels: Labels): S {
    const key = JSON.stringify(labels);
    let found = this.all.get(key);
    if (!found) this.all.set(key, (found = this.make(labels)));
    return found;
  }
}

/** A counter whose series are resolved once and incremented without allocating. */
export class FastCounter extends SeriesSet<CounterSeries> {
  readonly type = 'counter';

  protected make(labels: Labels): CounterSeries {
    return new CounterSeries(labels);
  }

  /** What prom-client renders: every series made so far. */
  async get(): Promise<Rendered> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [...this.all.values()].map(({ labels, value }) => ({ labels, value })) };
  }

  reset(): void {
    for (const series of this.all.values()) series.value = 0;
  }
}

/** One histogram series: `observe(v)` counts v in the first bucket whose upper bound is ≥ v. */
export class HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** A histogram whose series are resolved once and observed without allocating. */
export class FastHistogram extends SeriesSet<HistogramSeries> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    readonly bounds: readonly number[],
  ) {
    super(name, help);
  }

  protected make(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.bounds);
  }

  /** What prom-client renders: cumulative `_bucket` lines, `_sum` and `_count` per series. */
  async get(): Promise<Rendered> {
    const values: Value[] = [];
    for (const { labels, counts, sum, count } of this.all.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels, value: sum });
      values.push({ metricName: `${this.name}_count`, labels, value: count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const series of this.all.values()) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}

/** The cell as the registry's typings know metrics (it reads only the fields both classes have). */
export const asMetric = (cell: FastCounter | FastHistogram): Metric => cell as unknown as Metric;
