// Finding rows in the Plugboard tree from extension-host tests, through the extension's own API.
import * as assert from 'assert';
import type { PlugboardApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/vscode/tree/nodes';

/** The child of `parent` (a root row when undefined) labelled `label`; fails naming the labels there are. */
export async function treeChild(api: PlugboardApi, parent: TreeNode | undefined, label: string): Promise<TreeNode> {
  const kids = await api.tree.getChildren(parent);
  const names = kids.map((k) => String(api.tree.getTreeItem(k).label));
  const i = names.indexOf(label);
  assert.ok(i >= 0, `expected "${label}" among ${JSON.stringify(names)}`);
  return kids[i]!;
}
