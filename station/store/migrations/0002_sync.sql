-- Reserved for sync state (the pushed mark, the pull cursor, outcomes). Filled in by the sync work.
SELECT 1;
