// The smallest proof that Plugboard lives in a real extension host: it is loaded, activates without
// throwing, and contributes its commands. Feature tests belong in sibling *.test.ts files.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'plugboard.plugboard';

describe('Plugboard in the extension host', () => {
  it('activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this extension host`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.some((id) => id.startsWith('plugboard.')), 'no plugboard.* command is registered');
  });

  it('opens the scratch workspace the runner created', () => {
    const expected = process.env.PLUGBOARD_E2E_WORKSPACE;
    assert.ok(expected, 'PLUGBOARD_E2E_WORKSPACE is not set');
    assert.strictEqual(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, expected);
  });
});
