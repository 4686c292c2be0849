-- Nothing changes on PostgreSQL: its 0001 already indexes SKUs folded to
-- one letter case (items_sku_folded). SQLite's migration of this number
-- adds that index there (hubstore/migrations/0016_items_sku_nocase.sql).
SELECT 1;
