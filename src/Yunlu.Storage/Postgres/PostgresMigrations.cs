using Yunlu.Storage.Migrations;

namespace Yunlu.Storage;

/// <summary>The PostgreSQL + PostGIS schema, as ordered migrations. Never edit a released migration: add a new one.
/// Identifiers use <c>COLLATE "C"</c> so listings are ordered by code point, as on SQLite.</summary>
internal static class PostgresMigrations
{
    /// <summary>Advisory lock key serialising migrations across server processes sharing one database.</summary>
    public const long MigrationLockKey = 0x59756E6C75_01; // "Yunlu" 01

    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "zones_history_imports", """
            CREATE EXTENSION IF NOT EXISTS postgis;
            CREATE TABLE zones (
                identifier text COLLATE "C" PRIMARY KEY,
                name text NOT NULL,
                restriction text NOT NULL,
                lower_m double precision NOT NULL,
                lower_ref text NOT NULL,
                upper_m double precision NOT NULL,
                upper_ref text NOT NULL,
                min_lon double precision NOT NULL,
                min_lat double precision NOT NULL,
                max_lon double precision NOT NULL,
                max_lat double precision NOT NULL,
                footprint geometry(Geometry, 4326) NOT NULL,
                zone_json jsonb NOT NULL,
                version bigint NOT NULL CHECK (version >= 1),
                updated_at timestamptz NOT NULL,
                updated_by text NOT NULL,
                CHECK (min_lon <= max_lon AND min_lat <= max_lat)
            );
            CREATE INDEX zones_restriction ON zones (restriction);
            CREATE INDEX zones_footprint_gist ON zones USING gist (footprint);
            CREATE INDEX zones_bbox_gist ON zones USING gist (ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326));

            CREATE TABLE zone_history (
                history_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                identifier text COLLATE "C" NOT NULL,
                version bigint NOT NULL,
                deleted boolean NOT NULL,
                zone_json jsonb NOT NULL,
                actor text NOT NULL,
                changed_at timestamptz NOT NULL
            );
            CREATE INDEX zone_history_identifier ON zone_history (identifier, history_id);
            CREATE FUNCTION zone_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                RAISE EXCEPTION 'zone_history is append-only';
            END
            $fn$;
            CREATE TRIGGER zone_history_no_change BEFORE UPDATE OR DELETE ON zone_history
                FOR EACH ROW EXECUTE FUNCTION zone_history_append_only();

            CREATE TABLE imports (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id uuid NOT NULL UNIQUE,
                kind text NOT NULL,
                file_name text NOT NULL,
                sha256_hex text NOT NULL,
                feature_count integer NOT NULL CHECK (feature_count >= 0),
                actor text NOT NULL,
                imported_at timestamptz NOT NULL
            );
            CREATE INDEX imports_time ON imports (imported_at DESC, seq DESC);
            """),
        new(2, "obstacles_sites", """
            CREATE TABLE obstacles (
                id text COLLATE "C" PRIMARY KEY,
                kind text NOT NULL,
                name text,
                height_m double precision NOT NULL CHECK (height_m > 0),
                footprint geometry(Polygon, 4326) NOT NULL,
                min_lon double precision NOT NULL,
                min_lat double precision NOT NULL,
                max_lon double precision NOT NULL,
                max_lat double precision NOT NULL,
                CHECK (min_lon <= max_lon AND min_lat <= max_lat)
            );
            CREATE INDEX obstacles_footprint_gist ON obstacles USING gist (footprint);

            CREATE TABLE sites (
                id text COLLATE "C" PRIMARY KEY,
                name text NOT NULL,
                kind text NOT NULL,
                lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
                lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
                position geometry(Point, 4326) NOT NULL,
                description text
            );
            CREATE INDEX sites_position_gist ON sites USING gist (position);
            """),
        new(3, "rasters", """
            CREATE TABLE raster_datasets (
                id text COLLATE "C" PRIMARY KEY,
                kind text NOT NULL,
                name text NOT NULL,
                west double precision NOT NULL,
                south double precision NOT NULL,
                east double precision NOT NULL,
                north double precision NOT NULL,
                width integer NOT NULL CHECK (width > 0),
                height integer NOT NULL CHECK (height > 0),
                tile_size integer NOT NULL CHECK (tile_size > 0),
                sample_type text NOT NULL,
                no_data double precision,
                imported_at timestamptz NOT NULL
            );
            CREATE TABLE raster_tiles (
                dataset_id text COLLATE "C" NOT NULL REFERENCES raster_datasets (id) ON DELETE CASCADE,
                row integer NOT NULL CHECK (row >= 0),
                col integer NOT NULL CHECK (col >= 0),
                bytes bytea NOT NULL,
                PRIMARY KEY (dataset_id, row, col)
            );
            """),
        new(4, "airspace_corridors_grid_weather", """
            CREATE TABLE airway_nodes (
                id text COLLATE "C" PRIMARY KEY,
                name text NOT NULL,
                kind text NOT NULL,
                lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
                lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
                updated_at_us bigint NOT NULL,
                updated_by text NOT NULL
            );
            CREATE TABLE corridors (
                id text COLLATE "C" PRIMARY KEY,
                name text NOT NULL,
                from_node text COLLATE "C" NOT NULL,
                to_node text COLLATE "C" NOT NULL,
                min_lon double precision NOT NULL,
                min_lat double precision NOT NULL,
                max_lon double precision NOT NULL,
                max_lat double precision NOT NULL,
                corridor_json text NOT NULL,
                version bigint NOT NULL CHECK (version >= 1),
                updated_at_us bigint NOT NULL,
                updated_by text NOT NULL,
                CHECK (min_lon <= max_lon AND min_lat <= max_lat)
            );
            CREATE TABLE grid_overrides (
                code text COLLATE "C" PRIMARY KEY,
                level integer NOT NULL CHECK (level BETWEEN 1 AND 10),
                status text CHECK (status IN ('open', 'restricted', 'closed')),
                capacity_per_hour integer CHECK (capacity_per_hour >= 0),
                note text,
                updated_at_us bigint NOT NULL,
                updated_by text NOT NULL,
                CHECK (status IS NOT NULL OR capacity_per_hour IS NOT NULL)
            );
            CREATE INDEX grid_overrides_level ON grid_overrides (level);
            CREATE TABLE weather_observations (
                obs_key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                station_id text COLLATE "C" NOT NULL,
                time_us bigint NOT NULL,
                lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
                lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
                height_agl_m double precision NOT NULL CHECK (height_agl_m > 0),
                wind_speed_mps double precision NOT NULL CHECK (wind_speed_mps >= 0),
                wind_from_deg double precision NOT NULL,
                gust_mps double precision,
                temperature_c double precision,
                visibility_m double precision,
                precipitation_mm_h double precision,
                batch_id text NOT NULL,
                actor text NOT NULL,
                received_at_us bigint NOT NULL
            );
            CREATE INDEX weather_observations_time ON weather_observations (time_us);
            CREATE TABLE airspace_revision (
                id integer PRIMARY KEY CHECK (id = 1),
                revision bigint NOT NULL
            );
            INSERT INTO airspace_revision (id, revision) VALUES (1, 0);
            """),
        new(5, "operations", """
            CREATE EXTENSION IF NOT EXISTS btree_gist;
            CREATE TABLE op_registry (
                kind text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                doc jsonb NOT NULL,
                version bigint NOT NULL CHECK (version >= 1),
                updated_at timestamptz NOT NULL,
                updated_by text NOT NULL,
                PRIMARY KEY (kind, id)
            );
            CREATE TABLE op_intents (
                id uuid PRIMARY KEY,
                ovn text NOT NULL,
                version bigint NOT NULL,
                state text NOT NULL,
                priority smallint NOT NULL,
                owner_id text COLLATE "C" NOT NULL,
                manager_id text NULL,
                operator_id text COLLATE "C" NOT NULL,
                aircraft_id text NOT NULL,
                pilot_id text NOT NULL,
                route_ref text NULL,
                reasons jsonb NOT NULL DEFAULT '[]',
                doc jsonb NOT NULL,
                updated_at timestamptz NOT NULL,
                start_at timestamptz NOT NULL,
                end_at timestamptz NOT NULL,
                CHECK (start_at < end_at)
            );
            CREATE INDEX op_intents_end ON op_intents (end_at);
            CREATE INDEX op_intents_start ON op_intents (start_at, id);
            CREATE INDEX op_intents_owner ON op_intents (owner_id, start_at);
            CREATE INDEX op_intents_state ON op_intents (state, start_at);
            CREATE TABLE op_intent_volumes (
                intent_id uuid NOT NULL REFERENCES op_intents (id) ON DELETE CASCADE,
                idx integer NOT NULL,
                footprint geometry(Polygon, 4326) NOT NULL,
                alt numrange NOT NULL,
                during tstzrange NOT NULL,
                blocking boolean NOT NULL,
                priority smallint NOT NULL,
                PRIMARY KEY (intent_id, idx)
            );
            -- ADR 0006: the multicolumn GiST the cross-server re-check (BookingSql.FindConflicts) runs on.
            CREATE INDEX op_intent_volumes_gist ON op_intent_volumes USING gist (footprint, alt, during) WHERE blocking;
            """),
        new(6, "supervision_recording", """
            CREATE TABLE sup_positions (
                aircraft_id text COLLATE "C" NOT NULL,
                t_us bigint NOT NULL,
                lat double precision NOT NULL,
                lon double precision NOT NULL,
                alt_w84 double precision NULL,
                alt_amsl double precision NULL,
                alt_agl double precision NULL,
                vn double precision NOT NULL,
                ve double precision NOT NULL,
                vu double precision NOT NULL,
                sources integer NOT NULL,
                flags smallint NOT NULL
            );
            CREATE INDEX sup_positions_time ON sup_positions (t_us);
            CREATE INDEX sup_positions_aircraft ON sup_positions (aircraft_id, t_us);
            CREATE TABLE sup_alert_events (
                seq bigserial PRIMARY KEY,
                alert_id bigint NOT NULL,
                t_us bigint NOT NULL,
                kind text NOT NULL,
                event text NOT NULL,
                severity text NOT NULL,
                aircraft text COLLATE "C" NOT NULL,
                other text NULL,
                zone text NULL,
                intent text NULL,
                lat double precision NOT NULL,
                lon double precision NOT NULL,
                advisory text NULL,
                acknowledged_by text NULL,
                message text NOT NULL
            );
            CREATE INDEX sup_alert_events_time ON sup_alert_events (t_us);
            CREATE INDEX sup_alert_events_alert ON sup_alert_events (alert_id, t_us);
            """),
        SupervisionConformanceMigration.Postgres,
    ];
}
