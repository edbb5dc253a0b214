-- The dashboard's status board (web.ui.StatusBoardService) finds every database and backup type
-- without reading the whole of backup_log: the successful ones by skipping through
-- backup_log_newest_ok, and those that never succeeded through this small index of the rest
-- (failures are few). 100 databases with a year of hourly backups otherwise cost a full scan.
CREATE INDEX backup_log_not_ok_pairs ON backup_log (database, backup_type)
    WHERE status <> 'ok' AND backup_type IS NOT NULL AND database IS NOT NULL;
