/** The page a mailed or printed token opens: `<page>?token=<token>` (invite accept, password reset). */
export function tokenLink(pageUrl: string, token: string): string {
  const url = new URL(pageUrl);
  url.searchParams.set('token', token);
  return url.toString();
}
