/** A mistake in the command line: the usage is printed and the exit code is 2. */
export class UsageError extends Error {}
