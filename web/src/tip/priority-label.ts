/**
 * Todoist's own words for a priority: the API's 4 (most urgent) is what its app shows as "P1".
 * Normal priority (1) says nothing.
 */
export function priorityLabel(priority: number): string | undefined {
  switch (priority) {
    case 4:
      return 'P1';
    case 3:
      return 'P2';
    case 2:
      return 'P3';
    default:
      return undefined;
  }
}
