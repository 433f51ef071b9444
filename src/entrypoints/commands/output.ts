import { isAppError } from '../../platform/errors.ts';

/** Prints a result for people, or as one JSON document with --json. */
export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/**
 * Runs a command body; domain errors print their code and message and exit 1. A body may
 * return an exit code (e.g. 3 when some input lines were rejected) or set process.exitCode.
 */
export async function run(body: () => Promise<void | number>): Promise<void> {
  try {
    const code = await body();
    process.exit(typeof code === 'number' ? code : (process.exitCode ?? 0));
  } catch (err) {
    if (isAppError(err)) {
      process.stderr.write(`error: ${err.message} (${err.code})\n`);
      if (err.details) process.stderr.write(`${JSON.stringify(err.details, null, 2)}\n`);
    } else {
      process.stderr.write(`error: ${(err as Error).message}\n`);
    }
    process.exit(1);
  }
}
