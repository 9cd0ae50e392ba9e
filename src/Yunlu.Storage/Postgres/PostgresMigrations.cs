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
    ];
}
