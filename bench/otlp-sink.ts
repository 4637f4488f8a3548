/**
 * An OTLP/HTTP sink for the tracing bench: answers every export 200 and counts its bytes and its
 * spans. The spans are counted by walking the protobuf's length-delimited fields down to
 * ExportTraceServiceRequest.resource_spans[].scope_spans[].spans[], skipping their contents (decoding
 * them would load the CPU the load generator runs on).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Reads a varint at `at`; returns [value, next offset]. */
function varint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

/** Calls `each(start, end)` for every length-delimited field `field` of the message in buf[from, to). */
function fields(buf: Buffer, from: number, to: number, field: number, each: (start: number, end: number) => void): void {
  let at = from;
  while (at < to) {
    const [tag, next] = varint(buf, at);
    at = next;
    const wire = tag & 7;
    if (wire === 0) at = varint(buf, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, start] = varint(buf, at);
      at = start + length;
      if (tag >>> 3 === field) each(start, at);
    } else throw new Error(`OTLP sink: wire type ${wire} not expected`);
  }
}

/** The number of spans in one ExportTraceServiceRequest. */
export function countSpans(buf: Buffer): number {
  let spans = 0;
  fields(buf, 0, buf.length, 1, (rs, re) => fields(buf, rs, re, 2, (ss, se) => fields(buf, ss, se, 2, () => spans++)));
  return spans;
}

/** A started sink. */
export interface OtlpSink {
  readonly url: string;
  stats(): { exports: number; bytes: number; spans: number };
  close(): Promise<void>;
}

/** Starts a sink on a free port of 127.0.0.1. */
export async function startOtlpSink(): Promise<OtlpSink> {
  let bytes = 0;
  let exports = 0;
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bytes += body.length;
      exports++;
      spans += countSpans(body);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: () => ({ bytes, exports, spans }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
