/**
 * Metrics across workers (WORKERS > 1): each worker answers the primary's requests for its
 * registry over the cluster IPC channel, and the primary sums them (prom-client's
 * AggregatorRegistry: counters and histograms add up, specgate_redis_up takes the minimum).
 */
import { AggregatorRegistry, type Registry } from 'prom-client';

/** In a worker: lets the primary read `registry`. */
export function shareWithPrimary(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  // The constructor installs the worker's IPC listener.
  new AggregatorRegistry();
}

/** In the primary: renders every live worker's metrics, summed. */
export function clusterScrape(): () => Promise<string> {
  const aggregator = new AggregatorRegistry();
  return () => aggregator.clusterMetrics();
}
