-- The addresses removed by up.sql are gone for good; there is nothing to restore.
SELECT 1;
