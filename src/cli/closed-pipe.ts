/**
 * A reader that stops reading (`exhunt parse x.log | head`) closes the pipe; the next write to
 * stdout then fails with EPIPE. That is the reader's choice, not an error of ours: the command
 * ends quietly with exit code 0, whichever command was writing and however (stream events or a
 * rejected write). Other stdout errors keep their usual course.
 */
export function isClosedPipe(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Ends the process with 0 (its 'exit' handlers run: temporary files go) when stdout is closed. */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout, exit: (code: number) => void = (c) => process.exit(c)): void {
  stream.on('error', (err) => {
    if (isClosedPipe(err)) exit(0);
    else throw err;
  });
}
