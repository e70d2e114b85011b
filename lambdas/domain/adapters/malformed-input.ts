/**
 * How an adapter says where a vendor's response is malformed: zod's issues as `path: message`, the path written as
 * in the response (`Blocks[12].Relationships[0].Ids`), so that whoever sent it can find the place.
 */
export interface InputIssue {
  path: PropertyKey[];
  message: string;
}

/** The first three issues, `path: message`, joined; `whole` names the input when the path is empty. */
export function describeIssues(issues: readonly InputIssue[], whole: string, pathOf = (path: PropertyKey[]) => inputPath(path, whole)): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${pathOf(issue.path)}: ${issue.message}`)
    .join('; ');
}

/** `pages[0].tokens[3].layout`: keys joined with dots, list positions in brackets. */
export function inputPath(path: readonly PropertyKey[], whole: string): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '') || whole;
}
