import type { AppConfig } from '../api';

/** Runs of one invite or user in the Temporal Web UI, found by the search attribute every flow sets. */
export function temporalRunsUrl(
  config: AppConfig,
  attribute: 'UsermodInviteIds' | 'UsermodUserIds',
  id: string,
): string {
  const query = `${attribute} = "${id}"`;
  return `${config.temporal_ui_url}/namespaces/${encodeURIComponent(config.temporal_namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

export function TemporalLink({
  config,
  attribute,
  id,
  label,
}: {
  config: AppConfig;
  attribute: 'UsermodInviteIds' | 'UsermodUserIds';
  id: string;
  label: string;
}) {
  return (
    <a
      className="temporal-link"
      href={temporalRunsUrl(config, attribute, id)}
      target="_blank"
      rel="noopener noreferrer"
    >
      {label}
      <span className="sr-only"> (Temporal Web UI, opens in a new tab)</span>
    </a>
  );
}
