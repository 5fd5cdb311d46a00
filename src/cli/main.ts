import { PlugboardError } from '../core/errors';
import { redactor } from '../core/redact';
import { COMMANDS, parseCli, USAGE } from './args';
import { EXIT, reportError } from './exit';

/**
 * `plugboard <command> …`: parses the arguments, answers `--help` at once, and only then loads what the
 * command needs (src/cli/run.ts: the backends, the schema service, the code generator).
 */
export async function main(argv: string[], print: (s: string) => void = (s) => console.log(s), printErr = (s: string) => console.error(s)): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args.help || !args.command) {
      print(USAGE);
      return args.help ? EXIT.ok : EXIT.usage;
    }
    if (!(COMMANDS as readonly string[]).includes(args.command)) {
      throw new PlugboardError('INVALID_CONFIG', `Unknown command "${args.command}".`, { hint: 'Run plugboard --help.' });
    }
    const { runCommand } = await import('./run');
    return await runCommand(args, print, printErr);
  } catch (raw) {
    return reportError(raw, printErr);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(redactor.redact(String(err)));
      process.exit(EXIT.internal);
    },
  );
}
