import pino, { type Logger } from 'pino';

/**
 * Structured logs to stderr (stdout stays for command output). Deny-by-default for anything that
 * could carry identity: these fields are censored wherever they appear, and code never logs
 * payloads, names or error messages of vendor errors (see `describeError`).
 */
export function createLogger(name: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: [
          'identity',
          '*.identity',
          'originalName',
          '*.originalName',
          'patientName',
          '*.patientName',
          'patientId',
          '*.patientId',
          'path',
          '*.path',
          'secret',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
