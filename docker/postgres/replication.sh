#!/bin/sh
# Run once by the postgres image when it creates the primary's data: lets the standby of the
# "replique" profile (docker-compose.yml) stream from it with the same account.
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
