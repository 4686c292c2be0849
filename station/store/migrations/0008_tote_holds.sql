-- A tote holds one order from its first pick until a pack bench ships
-- that order (or a supervisor releases the tote, or the order is
-- cancelled and its goods go back to stock): order_id is that order, ''
-- when the tote is empty. The pick cart refuses a tote that holds another
-- order, and the commit checks it again.
ALTER TABLE totes ADD COLUMN order_id TEXT NOT NULL DEFAULT '';
UPDATE totes SET order_id = COALESCE((SELECT t.order_id FROM picks p JOIN pick_tasks t ON t.id = p.task_id
		JOIN orders o ON o.id = t.order_id
		WHERE p.tote = totes.code AND o.status = 'open'
		AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status = 'completed')
		ORDER BY p.seq DESC LIMIT 1), '');
-- The order the cart's current tote was taken for: a task of another
-- order asks for a new tote.
ALTER TABLE session ADD COLUMN tote_order TEXT NOT NULL DEFAULT '';
UPDATE session SET tote_order = COALESCE((SELECT order_id FROM pick_tasks WHERE id = session.task_id), '') WHERE tote != '';
