/** The extension of a case file: how the app and the CLI tell a case from a log. */
export const caseExtension = '.faultline'
