-- Keys and indexes of restaurant_ordering, applied after the bulk load: building them once over
-- loaded tables is several times faster than maintaining them row by row during COPY.

ALTER TABLE cafes       ADD PRIMARY KEY (id);
ALTER TABLE menu_items  ADD PRIMARY KEY (id);
ALTER TABLE users       ADD PRIMARY KEY (id);
ALTER TABLE user_activity ADD PRIMARY KEY (id);
ALTER TABLE orders      ADD PRIMARY KEY (id, created_at);
ALTER TABLE order_items ADD PRIMARY KEY (id);
ALTER TABLE payments    ADD PRIMARY KEY (id);
ALTER TABLE inventory   ADD PRIMARY KEY (cafe_id, menu_item_id);
ALTER TABLE employees   ADD PRIMARY KEY (id);
ALTER TABLE audit.audit_logs ADD PRIMARY KEY (id);

ALTER TABLE users     ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE employees ADD CONSTRAINT employees_email_key UNIQUE (email);

ALTER TABLE menu_items    ADD CONSTRAINT menu_items_cafe_fk    FOREIGN KEY (cafe_id) REFERENCES cafes (id);
ALTER TABLE user_activity ADD CONSTRAINT user_activity_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE orders        ADD CONSTRAINT orders_cafe_fk        FOREIGN KEY (cafe_id) REFERENCES cafes (id);
ALTER TABLE orders        ADD CONSTRAINT orders_user_fk        FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE order_items   ADD CONSTRAINT order_items_order_fk  FOREIGN KEY (order_id, order_created_at) REFERENCES orders (id, created_at) ON DELETE CASCADE;
ALTER TABLE order_items   ADD CONSTRAINT order_items_menu_item_fk FOREIGN KEY (menu_item_id) REFERENCES menu_items (id);
ALTER TABLE payments      ADD CONSTRAINT payments_order_fk     FOREIGN KEY (order_id, order_created_at) REFERENCES orders (id, created_at);
ALTER TABLE inventory     ADD CONSTRAINT inventory_cafe_fk     FOREIGN KEY (cafe_id) REFERENCES cafes (id);
ALTER TABLE inventory     ADD CONSTRAINT inventory_menu_item_fk FOREIGN KEY (menu_item_id) REFERENCES menu_items (id);
ALTER TABLE employees     ADD CONSTRAINT employees_cafe_fk     FOREIGN KEY (cafe_id) REFERENCES cafes (id);

CREATE INDEX user_activity_user_idx     ON user_activity (user_id, occurred_at);
CREATE INDEX user_activity_occurred_idx ON user_activity (occurred_at);
CREATE INDEX orders_user_idx            ON orders (user_id);
CREATE INDEX orders_cafe_created_idx    ON orders (cafe_id, created_at);
CREATE INDEX order_items_order_idx      ON order_items (order_id, order_created_at);
CREATE INDEX payments_order_idx         ON payments (order_id, order_created_at);
CREATE INDEX audit_logs_occurred_idx    ON audit.audit_logs (occurred_at);
CREATE INDEX audit_logs_entity_idx      ON audit.audit_logs (entity_type, entity_id);
-- partial index: the kitchen screens and the churn only ever look for orders still in progress
CREATE INDEX orders_open_idx            ON orders (created_at)
    WHERE status IN ('pending', 'confirmed', 'preparing', 'ready', 'out_for_delivery');
