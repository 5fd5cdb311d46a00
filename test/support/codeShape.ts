/**
 * The shape of generated code as TypeScript's own parser sees it: how many statements (at any depth: in class
 * bodies, functions, blocks) and how many calls. Rendering the same structure once with plain words and once
 * with hostile text in every string must give the same shape: text that escapes its comment or literal shows
 * up as an extra statement or call, or as a syntax error.
 */
import ts from 'typescript';

export interface CodeShape {
  statements: number;
  calls: number;
  /** Syntax errors, as "line:col message". */
  errors: string[];
}

const DECLARATIONS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.ExportDeclaration,
  ts.SyntaxKind.ExportAssignment,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

function isStatementLike(kind: ts.SyntaxKind): boolean {
  return (kind >= ts.SyntaxKind.FirstStatement && kind <= ts.SyntaxKind.LastStatement) || DECLARATIONS.has(kind);
}

export function codeShape(text: string, fileName = 'generated.ts'): CodeShape {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let statements = 0;
  let calls = 0;
  const visit = (node: ts.Node) => {
    if (isStatementLike(node.kind)) statements++;
    if (node.kind === ts.SyntaxKind.CallExpression || node.kind === ts.SyntaxKind.NewExpression || node.kind === ts.SyntaxKind.TaggedTemplateExpression) calls++;
    ts.forEachChild(node, visit);
  };
  visit(source);
  // parseDiagnostics is what the parser found; it is not on the public type, but every version has it.
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  const errors = diagnostics.map((d) => {
    const at = d.start === undefined ? { line: 0, character: 0 } : source.getLineAndCharacterOfPosition(d.start);
    return `${at.line + 1}:${at.character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
  return { statements, calls, errors };
}

/**
 * The shape of a Markdown file: its line count and how many lines are headings, table rows and list items.
 * Text that breaks out of its cell or line changes one of them.
 */
export function markdownShape(text: string): { lines: number; headings: number; rows: number; items: number; html: number } {
  const lines = text.split('\n');
  return {
    lines: lines.length,
    headings: lines.filter((l) => /^#{1,6} /.test(l)).length,
    rows: lines.filter((l) => l.startsWith('|')).length,
    items: lines.filter((l) => /^- /.test(l)).length,
    // Raw HTML outside the header comment (lines 1-2) and outside code spans (whose text is verbatim).
    html: lines.slice(2).filter((l) => /<[A-Za-z!/?]/.test(l.replace(/(`+)(?!`).*?[^`]\1(?!`)/g, ''))).length,
  };
}
