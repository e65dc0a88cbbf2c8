DROP TRIGGER webhooks_stamp ON webhooks;
DROP TRIGGER webhooks_update_stamp ON webhooks;
