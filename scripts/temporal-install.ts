// Finds or builds the pinned Temporal CLI (see infra/temporal-cli.ts) and prints its path.
import { ensureTemporalCli } from '../infra/temporal-cli';

ensureTemporalCli((line) => console.error(line))
  .then((path) => console.error(`Temporal CLI: ${path}`))
  .catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
