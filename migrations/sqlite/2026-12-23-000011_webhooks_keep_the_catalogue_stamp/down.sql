DROP TRIGGER webhooks_insert_stamp;
DROP TRIGGER webhooks_update_stamp;
DROP TRIGGER webhooks_delete_stamp;
