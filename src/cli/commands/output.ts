/**
 * Where commands print their results. Normally standard output; tests that run commands in-process
 * redirect it (standard output also carries the test runner's own reports, so it cannot be captured).
 */

let sink: (text: string) => void = (text) => {
  process.stdout.write(text);
};

/** Prints command output. */
export function print(text: string): void {
  sink(text);
}

/** Sends command output to `to` until the returned function is called. */
export function redirectOutput(to: (text: string) => void): () => void {
  const previous = sink;
  sink = to;
  return () => {
    sink = previous;
  };
}
