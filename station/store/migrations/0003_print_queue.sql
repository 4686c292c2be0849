-- Reserved for the durable print queue. Filled in by the devices work.
SELECT 1;
