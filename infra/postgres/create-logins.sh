#!/bin/sh
# Provisions one subgraph's database on an organisation's PostgreSQL server, once:
# the database, owned by <db>_owner (which runs the migrations), and <db>_app (the
# runtime login, granted its data privileges by each migration run). Nothing else
# may connect to the database. It creates what is missing and never changes an
# existing login's password, so running it again is harmless.
#
# docker-compose mounts it into the postgres image's /docker-entrypoint-initdb.d,
# which runs it when the data directory is first initialised. Elsewhere (a managed
# server for Kubernetes) an administrator runs it once with psql's usual PGHOST,
# PGPORT, PGUSER and PGPASSWORD:
#
#   SEND_DATABASE=send_casework SEND_OWNER_PASSWORD=... SEND_APP_PASSWORD=... sh create-logins.sh
set -eu
: "${SEND_DATABASE:?SEND_DATABASE: the database to create, <prefix>_<subgraph>}"
: "${SEND_OWNER_PASSWORD:?SEND_OWNER_PASSWORD: the password of ${SEND_DATABASE}_owner}"
: "${SEND_APP_PASSWORD:?SEND_APP_PASSWORD: the password of ${SEND_DATABASE}_app}"

# Inside the postgres image POSTGRES_USER names the administrator; elsewhere PGUSER does.
psql -v ON_ERROR_STOP=1 -X -q ${POSTGRES_USER:+--username "$POSTGRES_USER"} --dbname postgres \
  -v db="$SEND_DATABASE" -v owner="${SEND_DATABASE}_owner" -v app="${SEND_DATABASE}_app" \
  -v owner_password="$SEND_OWNER_PASSWORD" -v app_password="$SEND_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'owner', :'owner_password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'app', :'app_password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
-- Only a member of a role may hand it a database, unless a superuser (managed servers' administrators are not).
SELECT format('GRANT %I TO CURRENT_USER', :'owner')
  WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
    AND NOT pg_has_role(current_user, :'owner', 'MEMBER') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' TEMPLATE template0', :'db', :'owner')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
SQL
echo "create-logins: ${SEND_DATABASE} with logins ${SEND_DATABASE}_owner and ${SEND_DATABASE}_app is ready."
