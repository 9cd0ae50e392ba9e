using Yunlu.Storage.Migrations;

namespace Yunlu.Storage;

/// <summary>The SQLite schema, as ordered migrations. Never edit a released migration: add a new one.</summary>
internal static class SqliteMigrations
{
    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at_us INTEGER NOT NULL
        );
        """;

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "zones_history_imports", """
            CREATE TABLE zones (
                zone_key INTEGER PRIMARY KEY,
                identifier TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                restriction TEXT NOT NULL,
                lower_m REAL NOT NULL,
                lower_ref TEXT NOT NULL,
                upper_m REAL NOT NULL,
                upper_ref TEXT NOT NULL,
                min_lon REAL NOT NULL,
                min_lat REAL NOT NULL,
                max_lon REAL NOT NULL,
                max_lat REAL NOT NULL,
                zone_json TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                updated_at_us INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                CHECK (min_lon <= max_lon AND min_lat <= max_lat)
            );
            CREATE INDEX zones_restriction ON zones (restriction);
            CREATE VIRTUAL TABLE zones_rtree USING rtree (id, min_lon, max_lon, min_lat, max_lat);
            CREATE TRIGGER zones_rtree_insert AFTER INSERT ON zones BEGIN
                INSERT INTO zones_rtree (id, min_lon, max_lon, min_lat, max_lat)
                VALUES (new.zone_key, new.min_lon, new.max_lon, new.min_lat, new.max_lat);
            END;
            CREATE TRIGGER zones_rtree_update AFTER UPDATE OF min_lon, max_lon, min_lat, max_lat ON zones BEGIN
                UPDATE zones_rtree SET min_lon = new.min_lon, max_lon = new.max_lon, min_lat = new.min_lat, max_lat = new.max_lat
                WHERE id = new.zone_key;
            END;
            CREATE TRIGGER zones_rtree_delete AFTER DELETE ON zones BEGIN
                DELETE FROM zones_rtree WHERE id = old.zone_key;
            END;

            CREATE TABLE zone_history (
                history_id INTEGER PRIMARY KEY,
                identifier TEXT NOT NULL,
                version INTEGER NOT NULL,
                deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
                zone_json TEXT NOT NULL,
                actor TEXT NOT NULL,
                changed_at_us INTEGER NOT NULL
            );
            CREATE INDEX zone_history_identifier ON zone_history (identifier, history_id);
            CREATE TRIGGER zone_history_no_update BEFORE UPDATE ON zone_history BEGIN
                SELECT RAISE(ABORT, 'zone_history is append-only');
            END;
            CREATE TRIGGER zone_history_no_delete BEFORE DELETE ON zone_history BEGIN
                SELECT RAISE(ABORT, 'zone_history is append-only');
            END;

            CREATE TABLE imports (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                file_name TEXT NOT NULL,
                sha256_hex TEXT NOT NULL,
                feature_count INTEGER NOT NULL CHECK (feature_count >= 0),
                actor TEXT NOT NULL,
                imported_at_us INTEGER NOT NULL
            );
            CREATE INDEX imports_time ON imports (imported_at_us DESC, seq DESC);
            """),
        new(2, "obstacles_sites", """
            CREATE TABLE obstacles (
                obstacle_key INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                name TEXT,
                height_m REAL NOT NULL CHECK (height_m > 0),
                footprint_wkb BLOB NOT NULL,
                min_lon REAL NOT NULL,
                min_lat REAL NOT NULL,
                max_lon REAL NOT NULL,
                max_lat REAL NOT NULL,
                CHECK (min_lon <= max_lon AND min_lat <= max_lat)
            );
            CREATE VIRTUAL TABLE obstacles_rtree USING rtree (id, min_lon, max_lon, min_lat, max_lat);
            CREATE TRIGGER obstacles_rtree_insert AFTER INSERT ON obstacles BEGIN
                INSERT INTO obstacles_rtree (id, min_lon, max_lon, min_lat, max_lat)
                VALUES (new.obstacle_key, new.min_lon, new.max_lon, new.min_lat, new.max_lat);
            END;
            CREATE TRIGGER obstacles_rtree_update AFTER UPDATE OF min_lon, max_lon, min_lat, max_lat ON obstacles BEGIN
                UPDATE obstacles_rtree SET min_lon = new.min_lon, max_lon = new.max_lon, min_lat = new.min_lat, max_lat = new.max_lat
                WHERE id = new.obstacle_key;
            END;
            CREATE TRIGGER obstacles_rtree_delete AFTER DELETE ON obstacles BEGIN
                DELETE FROM obstacles_rtree WHERE id = old.obstacle_key;
            END;

            CREATE TABLE sites (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
                lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
                description TEXT
            );
            """),
        new(3, "rasters", """
            CREATE TABLE raster_datasets (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                west REAL NOT NULL,
                south REAL NOT NULL,
                east REAL NOT NULL,
                north REAL NOT NULL,
                width INTEGER NOT NULL CHECK (width > 0),
                height INTEGER NOT NULL CHECK (height > 0),
                tile_size INTEGER NOT NULL CHECK (tile_size > 0),
                sample_type TEXT NOT NULL,
                no_data TEXT, -- round-trip text of the double: SQLite REAL turns NaN into NULL
                imported_at_us INTEGER NOT NULL
            );
            CREATE TABLE raster_tiles (
                dataset_id TEXT NOT NULL REFERENCES raster_datasets (id) ON DELETE CASCADE,
                row INTEGER NOT NULL CHECK (row >= 0),
                col INTEGER NOT NULL CHECK (col >= 0),
                bytes BLOB NOT NULL,
                PRIMARY KEY (dataset_id, row, col)
            );
            """),
        new(4, "airspace_corridors_grid_weather", """
            CREATE TABLE airway_nodes (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
                lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
                updated_at_us INTEGER NOT NULL,
                updated_by TEXT NOT NULL
            );
            CREATE TABLE corridors (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                from_node TEXT NOT NULL,
                to_node TEXT NOT NULL,
                min_lon REAL NOT NULL,
                min_lat REAL NOT NULL,
                max_lon REAL NOT NULL,
                max_lat REAL NOT NULL,
                corridor_json TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                updated_at_us INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                CHECK (min_lon <= max_lon AND min_lat <= max_lat)
            );
            CREATE TABLE grid_overrides (
                code TEXT PRIMARY KEY,
                level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 10),
                status TEXT CHECK (status IN ('open', 'restricted', 'closed')),
                capacity_per_hour INTEGER CHECK (capacity_per_hour >= 0),
                note TEXT,
                updated_at_us INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                CHECK (status IS NOT NULL OR capacity_per_hour IS NOT NULL)
            );
            CREATE INDEX grid_overrides_level ON grid_overrides (level);
            CREATE TABLE weather_observations (
                obs_key INTEGER PRIMARY KEY,
                station_id TEXT NOT NULL,
                time_us INTEGER NOT NULL,
                lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
                lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
                height_agl_m REAL NOT NULL CHECK (height_agl_m > 0),
                wind_speed_mps REAL NOT NULL CHECK (wind_speed_mps >= 0),
                wind_from_deg REAL NOT NULL,
                gust_mps REAL,
                temperature_c REAL,
                visibility_m REAL,
                precipitation_mm_h REAL,
                batch_id TEXT NOT NULL,
                actor TEXT NOT NULL,
                received_at_us INTEGER NOT NULL
            );
            CREATE INDEX weather_observations_time ON weather_observations (time_us);
            CREATE TABLE airspace_revision (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                revision INTEGER NOT NULL
            );
            INSERT INTO airspace_revision (id, revision) VALUES (1, 0);
            """),
        new(5, "operations", """
            CREATE TABLE op_registry (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                doc TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                updated_at_us INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (kind, id)
            );
            CREATE TABLE op_intents (
                id TEXT PRIMARY KEY,
                ovn TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                state TEXT NOT NULL,
                priority INTEGER NOT NULL,
                owner_id TEXT NOT NULL,
                manager_id TEXT,
                operator_id TEXT NOT NULL,
                aircraft_id TEXT NOT NULL,
                pilot_id TEXT NOT NULL,
                start_us INTEGER NOT NULL,
                end_us INTEGER NOT NULL,
                doc TEXT NOT NULL,
                updated_at_us INTEGER NOT NULL,
                CHECK (start_us < end_us)
            );
            CREATE INDEX op_intents_end ON op_intents (end_us);
            CREATE INDEX op_intents_start ON op_intents (start_us, id);
            CREATE INDEX op_intents_owner ON op_intents (owner_id, start_us);
            CREATE INDEX op_intents_state ON op_intents (state, start_us);
            """),
        new(6, "supervision_recording", """
            CREATE TABLE sup_positions (
                aircraft_id TEXT NOT NULL,
                t_us INTEGER NOT NULL,
                lat REAL NOT NULL,
                lon REAL NOT NULL,
                alt_w84 REAL,
                alt_amsl REAL,
                alt_agl REAL,
                vn REAL NOT NULL,
                ve REAL NOT NULL,
                vu REAL NOT NULL,
                sources INTEGER NOT NULL,
                flags INTEGER NOT NULL
            );
            CREATE INDEX sup_positions_time ON sup_positions (t_us);
            CREATE INDEX sup_positions_aircraft ON sup_positions (aircraft_id, t_us);
            CREATE TABLE sup_alert_events (
                seq INTEGER PRIMARY KEY,
                alert_id INTEGER NOT NULL,
                t_us INTEGER NOT NULL,
                kind TEXT NOT NULL,
                event TEXT NOT NULL,
                severity TEXT NOT NULL,
                aircraft TEXT NOT NULL,
                other TEXT,
                zone TEXT,
                intent TEXT,
                lat REAL NOT NULL,
                lon REAL NOT NULL,
                advisory TEXT,
                acknowledged_by TEXT,
                message TEXT NOT NULL
            );
            CREATE INDEX sup_alert_events_time ON sup_alert_events (t_us);
            CREATE INDEX sup_alert_events_alert ON sup_alert_events (alert_id, t_us);
            """),
        SupervisionConformanceMigration.Sqlite,
    ];
}
