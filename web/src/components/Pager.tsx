/** Previous / next over a `{count, offset, limit}` list answer. */
export function Pager({
  count,
  offset,
  limit,
  shown,
  onPage,
  label,
}: {
  count: number;
  offset: number;
  limit: number;
  shown: number;
  onPage: (offset: number) => void;
  label: string;
}) {
  if (count === 0) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <p>
        Showing {offset + 1}–{offset + shown} of {count}
      </p>
      <div className="pager-buttons">
        <button
          type="button"
          className="secondary"
          disabled={offset === 0}
          onClick={() => onPage(Math.max(0, offset - limit))}
        >
          Previous page
        </button>
        <button
          type="button"
          className="secondary"
          disabled={offset + limit >= count}
          onClick={() => onPage(offset + limit)}
        >
          Next page
        </button>
      </div>
    </nav>
  );
}
