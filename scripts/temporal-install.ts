// Finds or builds the pinned Temporal CLI (see devstack/temporal-cli.ts) and prints its path.
import { ensureTemporalCli } from '../devstack/temporal-cli';

ensureTemporalCli((line) => console.error(line))
  .then((path) => console.error(`Temporal CLI: ${path}`))
  .catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
