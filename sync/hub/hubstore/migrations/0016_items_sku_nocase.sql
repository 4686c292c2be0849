-- SKUsFolded looks an item up ignoring letter case for every item of a
-- reference import; without an index of that collation it read the whole
-- items table each time, so a large import took time by the square of its
-- size. PostgreSQL's 0001 has the same index (items_sku_folded).
CREATE INDEX items_sku_nocase ON items(sku COLLATE NOCASE);
