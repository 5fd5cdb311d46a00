/** Command ids of the webviews (package.json contributes the same list), apart from the code that handles them. */
export const WebviewCommands = {
  previewData: 'plugboard.previewData',
  openConnectionForm: 'plugboard.openConnectionForm',
  /** The view title's entry: VS Code hands title commands the focused row, which would mean "edit it". */
  newConnectionForm: 'plugboard.newConnectionForm',
} as const;
