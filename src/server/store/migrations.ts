/**
 * Schema migrations, run at start for SQLite and PostgreSQL alike. Each migration is written once
 * with Kysely's schema builder; where the engines differ (id collation, big integers) the helper
 * below says so. Never edit a migration that has shipped: add the next one.
 */
import {
  sql,
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from 'kysely';

export type Engine = 'sqlite' | 'postgres';

type Col = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

function columns(engine: Engine) {
  // PostgreSQL compares text by the database's locale unless told otherwise; keyset cursors over
  // ids need one stable byte order, the one SQLite uses (BINARY).
  const id: Col = (c) =>
    engine === 'postgres' ? c.modifyFront(sql`collate "C"`).notNull() : c.notNull();
  const big = 'bigint' as const;
  return { id, big };
}

function v1(engine: Engine): Migration {
  const { id, big } = columns(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('community')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('version', big, (c) => c.notNull())
        .addColumn('event_version', big, (c) => c.notNull())
        .addColumn('epoch', 'text', (c) => c.notNull())
        .addColumn('gc_horizon', big, (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('staff')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('username', 'text', (c) => id(c).unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('password_changed_at', big, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('staff_role')
        .addColumn('staff_id', 'text', (c) => id(c))
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('staff_role_pk', ['staff_id', 'community_id'])
        .execute();

      await db.schema
        .createTable('session')
        .addColumn('token_hash', 'text', (c) => id(c).primaryKey())
        .addColumn('staff_id', 'text', (c) => id(c))
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('last_seen_at', big, (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('session_staff').on('session').column('staff_id').execute();

      await db.schema
        .createTable('throttle')
        .addColumn('key', 'text', (c) => id(c).primaryKey())
        .addColumn('window_start', big, (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('blocked_until', big, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('setup_token')
        .addColumn('token_hash', 'text', (c) => id(c).primaryKey())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('used_at', big)
        .execute();

      await db.schema
        .createTable('audit')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer')
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_community_at')
        .on('audit')
        .columns(['community_id', 'at'])
        .execute();

      await db.schema
        .createTable('signing_key')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('kid', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('not_before', big, (c) => c.notNull())
        .addColumn('not_after', big, (c) => c.notNull())
        .addColumn('uses', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('retired_at', big)
        .execute();
      await db.schema
        .createIndex('signing_key_community')
        .on('signing_key')
        .column('community_id')
        .execute();

      await db.schema
        .createTable('key_list')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('key_list_pk', ['community_id', 'seq'])
        .execute();

      await db.schema
        .createTable('device')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => id(c).unique())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', big)
        .addColumn('revoked_by', 'text')
        .addColumn('last_seen_at', big)
        .addColumn('last_pull_at', big)
        .addColumn('last_push_at', big)
        .addColumn('app_version', 'text', (c) => c.notNull())
        .addColumn('pending_events', 'integer', (c) => c.notNull())
        .addColumn('installation_id', 'text')
        .addColumn('storage', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('device_community').on('device').column('community_id').execute();

      await db.schema
        .createTable('enrollment_code')
        .addColumn('code_hash', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('device_name', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('used_at', big)
        .addColumn('device_id', 'text')
        .execute();

      await db.schema
        .createTable('installation')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => id(c))
        .addColumn('first_seen_at', big, (c) => c.notNull())
        .addColumn('replaced_at', big)
        .addColumn('max_seq', big, (c) => c.notNull())
        .addColumn('event_count', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('installation_device')
        .on('installation')
        .column('device_id')
        .execute();

      await db.schema
        .createTable('api_key')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', big)
        .addColumn('last_used_at', big)
        .execute();

      await db.schema
        .createTable('sync_row')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('tbl', 'text', (c) => id(c))
        .addColumn('id', 'text', (c) => id(c))
        .addColumn('version', big, (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .addColumn('data', 'text')
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_row_pk', ['community_id', 'tbl', 'id'])
        .execute();
      // The pull's keyset order: (version, tbl, id) within a community.
      await db.schema
        .createIndex('sync_row_feed')
        .on('sync_row')
        .columns(['community_id', 'version', 'tbl', 'id'])
        .execute();

      await db.schema
        .createTable('household')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => id(c))
        .addColumn('external_id', 'text')
        .addColumn('building', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('room', 'text', (c) => c.notNull())
        .addColumn('occupancy', 'text', (c) => c.notNull())
        .addColumn('moved_out', 'integer', (c) => c.notNull())
        .addColumn('arrears', 'integer', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('household_pk', ['community_id', 'id'])
        .addUniqueConstraint('household_address', ['community_id', 'building', 'unit', 'room'])
        .execute();
      await db.schema
        .createIndex('household_external')
        .on('household')
        .columns(['community_id', 'external_id'])
        .unique()
        .execute();

      await db.schema
        .createTable('resident')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => id(c))
        .addColumn('external_id', 'text')
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('relation', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('moved_out', 'integer', (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('resident_pk', ['community_id', 'id'])
        .execute();
      await db.schema
        .createIndex('resident_external')
        .on('resident')
        .columns(['community_id', 'external_id'])
        .unique()
        .execute();
      await db.schema
        .createIndex('resident_household')
        .on('resident')
        .columns(['community_id', 'household_id'])
        .execute();

      await db.schema
        .createTable('key_household')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('instruction', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('key_household_pk', ['community_id', 'household_id'])
        .execute();

      await db.schema
        .createTable('key_household_change')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('instruction', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('key_household_change_at')
        .on('key_household_change')
        .columns(['community_id', 'at'])
        .execute();

      await db.schema
        .createTable('event')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => id(c))
        .addColumn('installation_id', 'text', (c) => id(c))
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('tz_offset', 'integer', (c) => c.notNull())
        .addColumn('guard_id', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .addColumn('feed_version', big, (c) => c.notNull())
        .addUniqueConstraint('event_installation_seq', ['installation_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('event_feed')
        .on('event')
        .columns(['community_id', 'feed_version', 'id'])
        .execute();
      await db.schema
        .createIndex('event_community_at')
        .on('event')
        .columns(['community_id', 'at'])
        .execute();

      await db.schema
        .createTable('dead_letter')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => id(c))
        .addColumn('installation_id', 'text', (c) => id(c))
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .execute();
    },
  };
}

function v2Photos(engine: Engine): Migration {
  const { id, big } = columns(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('photo')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => id(c))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('bytes', engine === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('photo_pk', ['community_id', 'hash'])
        .execute();
    },
  };
}

function v3Cards(engine: Engine): Migration {
  const { id, big } = columns(engine);
  return {
    async up(db: Kysely<unknown>) {
      // Serial numbers per community and credential type, allocated inside the write transaction.
      await db.schema
        .createTable('credential_serial')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => id(c))
        .addColumn('last', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('credential_serial_pk', ['community_id', 'type'])
        .execute();

      await db.schema
        .createTable('card')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('serial', big, (c) => c.notNull())
        .addColumn('holder_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('role_label', 'text', (c) => c.notNull())
        .addColumn('id_type', 'text', (c) => c.notNull())
        .addColumn('id_sealed', 'text', (c) => c.notNull())
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('id_hash', 'text', (c) => id(c))
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('photo_hash', 'text')
        .addColumn('weekdays', 'integer', (c) => c.notNull())
        .addColumn('start_quarter', 'integer', (c) => c.notNull())
        .addColumn('end_quarter', 'integer', (c) => c.notNull())
        .addColumn('valid_from_s', big, (c) => c.notNull())
        .addColumn('valid_until_s', big, (c) => c.notNull())
        .addColumn('deposit_note', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text', (c) => c.notNull())
        .addColumn('status_note', 'text', (c) => c.notNull())
        .addColumn('status_at', big)
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('follows_serial', big)
        .addColumn('followed_by_serial', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('card_pk', ['community_id', 'serial'])
        .execute();
      await db.schema
        .createIndex('card_status_until')
        .on('card')
        .columns(['community_id', 'status', 'valid_until_s'])
        .execute();
      await db.schema
        .createIndex('card_holder')
        .on('card')
        .columns(['community_id', 'id_hash'])
        .execute();

      await db.schema
        .createTable('card_household')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('serial', big, (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addPrimaryKeyConstraint('card_household_pk', ['community_id', 'serial', 'household_id'])
        .execute();
      await db.schema
        .createIndex('card_household_by_household')
        .on('card_household')
        .columns(['community_id', 'household_id'])
        .execute();
    },
  };
}

function v4CommunitySecrets(engine: Engine): Migration {
  const { big } = columns(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('community_secret')
        .addColumn('community_id', 'integer', (c) => c.primaryKey())
        .addColumn('seal_public', 'text', (c) => c.notNull())
        .addColumn('seal_private', 'text', (c) => c.notNull())
        .addColumn('match_key', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
    },
  };
}

function v6Visitors(engine: Engine): Migration {
  const { id, big } = columns(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('invitation')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('serial', big, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('persons', 'integer', (c) => c.notNull())
        .addColumn('plate', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('valid_from_s', big, (c) => c.notNull())
        .addColumn('valid_until_s', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_at', big)
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('on_gates', 'integer', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('invitation_pk', ['community_id', 'serial'])
        .execute();
      await db.schema
        .createIndex('invitation_until')
        .on('invitation')
        .columns(['community_id', 'valid_until_s'])
        .execute();

      await db.schema
        .createTable('watch_entry')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => id(c))
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone_masked', 'text', (c) => c.notNull())
        .addColumn('id_type', 'text')
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('id_hash', 'text')
        .addColumn('name_phone_hash', 'text')
        .addColumn('instruction', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('watch_entry_pk', ['community_id', 'id'])
        .execute();

      await db.schema
        .createTable('visitor_entry')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => id(c))
        .addColumn('device_id', 'text', (c) => id(c))
        .addColumn('guard_id', 'text')
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('id_type', 'text')
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('id_hash', 'text')
        .addColumn('id_sealed', 'text')
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('persons', 'integer', (c) => c.notNull())
        .addColumn('plate', 'text', (c) => c.notNull())
        .addColumn('invitation_serial', big)
        .addColumn('watch_level', 'text')
        .addColumn('watch_instruction', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('admitted', 'integer', (c) => c.notNull())
        .addColumn('exit_at', big)
        .addColumn('exit_method', 'text')
        .addColumn('received_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('visitor_entry_pk', ['community_id', 'id'])
        .execute();
      await db.schema
        .createIndex('visitor_entry_at')
        .on('visitor_entry')
        .columns(['community_id', 'at'])
        .execute();
      await db.schema
        .createIndex('visitor_entry_household')
        .on('visitor_entry')
        .columns(['community_id', 'household_id', 'at'])
        .execute();
      await db.schema
        .createTable('visitor_photo')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => id(c))
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('visitor_photo_pk', ['community_id', 'entry_id'])
        .execute();
    },
  };
}

function v7Slips(engine: Engine): Migration {
  const { id, big } = columns(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('slip')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('serial', big, (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('applicant_name', 'text', (c) => c.notNull())
        .addColumn('applicant_role', 'text', (c) => c.notNull())
        .addColumn('applicant_phone', 'text', (c) => c.notNull())
        .addColumn('id_type', 'text', (c) => c.notNull())
        .addColumn('id_sealed', 'text', (c) => c.notNull())
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('plate', 'text', (c) => c.notNull())
        .addColumn('carrier_name', 'text', (c) => c.notNull())
        .addColumn('valid_from_s', big, (c) => c.notNull())
        .addColumn('valid_until_s', big, (c) => c.notNull())
        .addColumn('trips', 'integer', (c) => c.notNull())
        .addColumn('consent', 'text', (c) => c.notNull())
        .addColumn('arrears_override', 'text', (c) => c.notNull())
        .addColumn('watch_signoff', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text', (c) => c.notNull())
        .addColumn('status_note', 'text', (c) => c.notNull())
        .addColumn('status_at', big)
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'text')
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('slip_pk', ['community_id', 'serial'])
        .execute();
      await db.schema
        .createIndex('slip_household')
        .on('slip')
        .columns(['community_id', 'household_id'])
        .execute();

      // The gate's records of a slip (projections of `slip.use` events).
      await db.schema
        .createTable('slip_use')
        .addColumn('event_id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('serial', big, (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => id(c))
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('lines', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('carrier_name', 'text', (c) => c.notNull())
        .addColumn('photo_hash', 'text')
        .addColumn('guard_id', 'text')
        .execute();
      await db.schema
        .createIndex('slip_use_by_slip')
        .on('slip_use')
        .columns(['community_id', 'serial', 'at'])
        .execute();

      await db.schema
        .createTable('slip_alert')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('serial', big, (c) => c.notNull())
        .addColumn('event_ids', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('resolved_at', big)
        .addColumn('resolved_by', 'text')
        .addColumn('resolution_note', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('slip_alert_by_slip')
        .on('slip_alert')
        .columns(['community_id', 'serial'])
        .execute();

      // Owner consent to a tenant's move, confirmed in the main system (integration API).
      await db.schema
        .createTable('slip_consent')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('reference', 'text', (c) => id(c))
        .addColumn('owner_name', 'text', (c) => c.notNull())
        .addColumn('tenant_name', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', big, (c) => c.notNull())
        .addColumn('valid_until', big, (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('slip_consent_pk', ['community_id', 'household_id', 'reference'])
        .execute();

      // Goods that tried to leave without a slip (projections of `goods.refused` events).
      await db.schema
        .createTable('goods_refusal')
        .addColumn('event_id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => id(c))
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .addColumn('household_id', 'text')
        .addColumn('unit_text', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('photo_hash', 'text')
        .addColumn('guard_id', 'text')
        .execute();
      await db.schema
        .createIndex('goods_refusal_by_time')
        .on('goods_refusal')
        .columns(['community_id', 'at'])
        .execute();
    },
  };
}

function v8KeyHouseholds(engine: Engine): Migration {
  const { id, big } = columns(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('event_household')
        .addColumn('event_id', 'text', (c) => id(c))
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('event_household_pk', ['event_id', 'household_id'])
        .execute();
      await db.schema
        .createIndex('event_household_by_household')
        .on('event_household')
        .columns(['community_id', 'household_id', 'at'])
        .execute();

      await db.schema
        .createTable('care_resident')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('consent_by', 'text', (c) => c.notNull())
        .addColumn('consent_note', 'text', (c) => c.notNull())
        .addColumn('not_seen_days', 'integer', (c) => c.notNull())
        .addColumn('due_date', 'text')
        .addColumn('last_seen_at', big)
        .addColumn('last_outing_id', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('care_resident_community')
        .on('care_resident')
        .columns(['community_id', 'household_id'])
        .execute();

      await db.schema
        .createTable('outing')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('resident_id', 'text', (c) => id(c))
        .addColumn('household_id', 'text', (c) => id(c))
        .addColumn('out_at', big, (c) => c.notNull())
        .addColumn('expected_back', big, (c) => c.notNull())
        .addColumn('taken_by', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('out_device_id', 'text', (c) => id(c))
        .addColumn('out_guard_id', 'text')
        .addColumn('back_at', big)
        .addColumn('back_device_id', 'text')
        .addColumn('back_guard_id', 'text')
        .execute();
      await db.schema
        .createIndex('outing_by_resident')
        .on('outing')
        .columns(['community_id', 'resident_id', 'out_at'])
        .execute();
      await db.schema
        .createIndex('outing_open')
        .on('outing')
        .columns(['community_id', 'back_at', 'expected_back'])
        .execute();

      await db.schema
        .createTable('incident')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => id(c))
        .addColumn('guard_id', 'text')
        .addColumn('recorded_at', big, (c) => c.notNull())
        .addColumn('occurred_at', big, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text')
        .addColumn('place', 'text', (c) => c.notNull())
        .addColumn('people', 'text', (c) => c.notNull())
        .addColumn('happened', 'text', (c) => c.notNull())
        .addColumn('actions', 'text', (c) => c.notNull())
        .addColumn('actions_note', 'text', (c) => c.notNull())
        .addColumn('signatures', 'text', (c) => c.notNull())
        .addColumn('photos', 'text', (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('incident_image')
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => id(c))
        .addColumn('incident_id', 'text', (c) => id(c))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('bytes', engine === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_image_pk', ['community_id', 'incident_id', 'hash'])
        .execute();
      await db.schema
        .createIndex('incident_by_time')
        .on('incident')
        .columns(['community_id', 'occurred_at'])
        .execute();
    },
  };
}

function v9Guards(engine: Engine): Migration {
  const { id, big } = columns(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('guard')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('pin_hash', 'text', (c) => c.notNull())
        .addColumn('pin_salt', 'text', (c) => c.notNull())
        .addColumn('pin_iterations', 'integer', (c) => c.notNull())
        .addColumn('pin_set_at', big, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('guard_community')
        .on('guard')
        .columns(['community_id', 'name'])
        .execute();

      await db.schema
        .createTable('guard_shift')
        .addColumn('id', 'text', (c) => id(c).primaryKey())
        .addColumn('community_id', 'integer', (c) => c.notNull())
        .addColumn('guard_id', 'text', (c) => id(c))
        .addColumn('device_id', 'text', (c) => id(c))
        .addColumn('started_at', big)
        .addColumn('ended_at', big)
        .addColumn('end_reason', 'text')
        .addColumn('passages', 'integer')
        .execute();
      await db.schema
        .createIndex('guard_shift_by_time')
        .on('guard_shift')
        .columns(['community_id', 'started_at'])
        .execute();
    },
  };
}

export function migrationProvider(engine: Engine): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '0001_initial': v1(engine),
        '0002_photos': v2Photos(engine),
        '0003_cards': v3Cards(engine),
        '0004_community_secrets': v4CommunitySecrets(engine),
        '0006_visitors': v6Visitors(engine),
        '0007_slips': v7Slips(engine),
        '0008_key_households': v8KeyHouseholds(engine),
        '0009_guards': v9Guards(engine),
      };
    },
  };
}
