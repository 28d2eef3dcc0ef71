import { DefaultFailureConverter } from '@temporalio/common';

// Loaded by path (it also runs inside the workflow sandbox): failure messages and stack traces go
// through the payload codec too, so an error naming an e-mail address is not readable in history.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
