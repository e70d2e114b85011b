/** Stable codes of `docpipe serve` that are not HTTP answers: the inbox's refusals and an interrupted document. */
export const SERVE_ERRORS = {
  /** serve stopped (crash, kill) while the document was received or processing; found at the next start. */
  SERVER_INTERRUPTED: 'SERVER_INTERRUPTED',
  /** An inbox entry that is a symbolic link: never followed, so a link cannot pull in a file from outside the inbox. */
  INBOX_SYMLINK_REFUSED: 'INBOX_SYMLINK_REFUSED',
  /** An inbox file over the upload limit (500 MB). */
  INBOX_FILE_TOO_LARGE: 'INBOX_FILE_TOO_LARGE',
  /** An inbox entry that could not be read or stored (permissions, I/O). */
  INBOX_ENTRY_UNREADABLE: 'INBOX_ENTRY_UNREADABLE',
} as const;
