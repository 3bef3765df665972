/**
 * oasis-node's gRPC server metrics (`oasis_grpc_server_calls`, `_latency`, `_stream_writes`, labelled by
 * `call`, the method's full path), fed by the API registry's call observer for both transports.
 */
import { Counter, type Registry, Summary } from 'prom-client';
import type { CallObserver } from '../../api/method.ts';

/** A call observer that counts and times calls. */
export function apiCallMetrics(registry: Registry): CallObserver {
  const registers = [registry];
  const calls = new Counter({
    name: 'oasis_grpc_server_calls',
    help: 'Number of gRPC calls.',
    labelNames: ['call'],
    registers,
  });
  const failures = new Counter({
    name: 'oasis_grpc_server_failures',
    help: 'Number of gRPC calls that ended in an error.',
    labelNames: ['call'],
    registers,
  });
  const latency = new Summary({
    name: 'oasis_grpc_server_latency',
    help: 'gRPC call latency (seconds).',
    labelNames: ['call'],
    percentiles: [0.5, 0.9, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers,
  });
  const streamWrites = new Counter({
    name: 'oasis_grpc_server_stream_writes',
    help: 'Number of gRPC stream writes.',
    labelNames: ['call'],
    registers,
  });
  return {
    called(call, seconds, ok) {
      calls.inc({ call });
      if (!ok) failures.inc({ call });
      latency.observe({ call }, seconds);
    },
    streamWrite(call) {
      streamWrites.inc({ call });
    },
  };
}
