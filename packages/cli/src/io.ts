/** Where a command writes, so that tests can run commands in process too. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Progress lines are shown only on a terminal. */
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** A step that takes a moment: named on stderr when a person is watching, silent otherwise. */
export function progress(io: Io, text: string): void {
  if (io.isTTY) io.err(`… ${text}\n`);
}
