/**
 * Command failures as MongoDB reports them: `{ ok: 0, errmsg, code, codeName }`. The codes are the server's
 * own (src/mongo/base/error_codes.yml), so driver code that branches on `error.code` behaves as against mongod.
 */

export const ErrorCode = {
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  AuthenticationFailed: 18,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  ImmutableField: 66,
  CommandNotFound: 59,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  CommandNotSupportedOnView: 166,
  DuplicateKey: 11000,
  MechanismUnavailable: 334,
  UnrecognizedPipelineStage: 40324,
} as const;

type CodeName = keyof typeof ErrorCode;

const NAME_OF = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  constructor(codeName: CodeName, message: string) {
    super(message);
    this.code = ErrorCode[codeName];
    // 40324 has no symbolic name on the server: it reports "Location40324".
    this.codeName = codeName === 'UnrecognizedPipelineStage' ? 'Location40324' : codeName;
  }
}

export function errorReply(err: unknown): Record<string, unknown> {
  if (err instanceof CommandError) return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName };
  // mingo and bson throw plain errors for malformed queries or documents: the server calls those BadValue.
  const message = err instanceof Error ? err.message : String(err);
  return { ok: 0, errmsg: message, code: ErrorCode.BadValue, codeName: NAME_OF.get(ErrorCode.BadValue) };
}
