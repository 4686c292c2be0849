-- Fewer pages written per scan: a task-completing pick scan wrote four
-- (journal, picks, the task, the session row), a unit scan two.

-- 1. A commit that appends events and changes the operator's session
-- keeps the new session, when it is short (a pick cart's), in its last
-- journal row, not in the session row: the journal page is written
-- anyway, the session row's page then is not.
-- The session a restart resumes is the newest journal row's after
-- session.through_seq, else the session row (store.LoadSession). A commit
-- without events still writes the row, and pruning folds the newest
-- journal session into it first.
ALTER TABLE journal ADD COLUMN session TEXT;

-- 2. A task is picked when its picks reach its quantity: the scan that
-- completes it no longer writes the task's row (its picks row says it),
-- so 'picked' is read here from an in-progress task's picks. Rows an
-- older version marked 'picked' stay so.
DROP VIEW order_line_progress;
DROP VIEW pick_task_progress;

CREATE VIEW pick_task_progress AS
SELECT p.id, p.wave_id, p.order_id, p.line_no, p.location, p.sku, p.qty,
	CASE WHEN p.status = 'in_progress' AND p.qty_picked >= p.qty THEN 'picked' ELSE p.status END AS status,
	p.sort_key, p.qty_picked, p.tote
FROM (SELECT t.*,
	COALESCE((SELECT SUM(k.qty) FROM picks k WHERE k.task_id = t.id), 0) AS qty_picked,
	COALESCE((SELECT k.tote FROM picks k WHERE k.task_id = t.id ORDER BY k.seq DESC LIMIT 1), '') AS tote
	FROM pick_tasks t) p;

CREATE VIEW order_line_progress AS
SELECT l.order_id, l.line_no, l.sku, l.qty,
	COALESCE(SUM(t.qty_picked), 0) AS qty_picked,
	COALESCE(SUM(CASE WHEN t.status = 'short' THEN t.qty - t.qty_picked ELSE 0 END), 0) AS qty_short
FROM order_lines l LEFT JOIN pick_task_progress t ON t.order_id = l.order_id AND t.line_no = l.line_no
GROUP BY l.order_id, l.line_no;
