namespace Yunlu.Airspace.Operations;

/// <summary>
/// The PostgreSQL half of "no double booking" across server processes (ADR 0006): statements an
/// <see cref="IIntentCommitter"/> runs in ONE transaction (READ COMMITTED is enough, the advisory locks serialise):
/// <list type="number">
/// <item><see cref="LockGlobalShared"/> (or <see cref="LockGlobalExclusive"/> when the keys contain
/// <see cref="LockKeys.GlobalKey"/>);</item>
/// <item><see cref="LockCells"/> with the intent's sorted lock keys (the same keys <see cref="IntentBook"/> stripes
/// on; sorted, so two servers never deadlock);</item>
/// <item>for an Accepted version: <see cref="FindConflicts"/>; any row means another server booked a conflicting
/// intent after this server's in-memory check, so store a rejection instead;</item>
/// <item><see cref="UpsertIntent"/> / <see cref="UpsertVolumes"/> guarded by the previous OVN (0 rows → stale);</item>
/// <item>COMMIT, which releases the locks; the other server's waiting transaction then sees the committed rows.</item>
/// </list>
/// Parameters are positional Npgsql parameters ($1, $2, …); tables as in <see cref="CreateTables"/>.
/// </summary>
public static class BookingSql
{
    /// <summary>Tables and the multicolumn GiST index (requires PostGIS and btree_gist). Footprints are stored as
    /// polygons (circles as their enclosing polygon from <c>FootprintGeometry.ToPolygon</c>, so the database check
    /// is conservative for circles).</summary>
    public const string CreateTables = """
        CREATE EXTENSION IF NOT EXISTS postgis;
        CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE IF NOT EXISTS op_intents (
            id uuid PRIMARY KEY,
            ovn text NOT NULL,
            version bigint NOT NULL,
            state text NOT NULL,
            priority smallint NOT NULL,
            owner_id text NOT NULL,
            manager_id text NULL,
            operator_id text NOT NULL,
            aircraft_id text NOT NULL,
            pilot_id text NOT NULL,
            route_ref text NULL,
            reasons jsonb NOT NULL DEFAULT '[]',
            doc jsonb NOT NULL,
            updated_at timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS op_intent_volumes (
            intent_id uuid NOT NULL REFERENCES op_intents(id) ON DELETE CASCADE,
            idx integer NOT NULL,
            footprint geometry(Polygon, 4326) NOT NULL,
            alt numrange NOT NULL,
            during tstzrange NOT NULL,
            blocking boolean NOT NULL,
            priority smallint NOT NULL,
            PRIMARY KEY (intent_id, idx));
        CREATE INDEX IF NOT EXISTS op_intent_volumes_gist
            ON op_intent_volumes USING gist (footprint, alt, during) WHERE blocking;
        """;

    /// <summary>Every booking takes the global key shared: $1 = <see cref="LockKeys.GlobalKey"/>.</summary>
    public const string LockGlobalShared = "SELECT pg_advisory_xact_lock_shared($1)";

    /// <summary>An intent too large for cell keys takes the global key exclusively: $1 = <see cref="LockKeys.GlobalKey"/>.</summary>
    public const string LockGlobalExclusive = "SELECT pg_advisory_xact_lock($1)";

    /// <summary>Takes the cell keys in ascending order: $1 = bigint[] of sorted keys (without the global key).
    /// The ORDER BY makes the acquisition order deterministic.</summary>
    public const string LockCells = "SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k ORDER BY k";

    /// <summary>Blocking volumes of other intents meeting one of ours: $1 = our intent id, $2 = footprint (geometry),
    /// $3 = lower W84 m, $4 = upper W84 m, $5 = start, $6 = end, $7 = our priority (emergency = 2 is never blocked;
    /// pass 3 to disable the priority filter). Half-open ranges ('[)') so touching is not overlapping; ST_Intersects
    /// treats footprints as closed, as <c>Volume3D</c> does.</summary>
    public const string FindConflicts = """
        SELECT v.intent_id, v.idx
        FROM op_intent_volumes v
        WHERE v.blocking
          AND v.intent_id <> $1
          AND v.priority >= $7 AND $7 < 2
          AND v.alt && numrange($3, $4, '[)')
          AND v.during && tstzrange($5, $6, '[)')
          AND ST_Intersects(v.footprint, $2)
        LIMIT 1
        """;

    /// <summary>Inserts a new intent ($1 id … ) or updates it only when the stored OVN is $15 (the previous one);
    /// 0 rows affected → stale. $1 id, $2 ovn, $3 version, $4 state, $5 priority, $6 owner, $7 manager,
    /// $8 operator, $9 aircraft, $10 pilot, $11 route, $12 reasons jsonb, $13 doc jsonb, $14 updated_at,
    /// $15 previous ovn (null for a new intent).</summary>
    public const string UpsertIntent = """
        INSERT INTO op_intents (id, ovn, version, state, priority, owner_id, manager_id, operator_id, aircraft_id, pilot_id, route_ref, reasons, doc, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
        ON CONFLICT (id) DO UPDATE SET
            ovn = EXCLUDED.ovn, version = EXCLUDED.version, state = EXCLUDED.state, priority = EXCLUDED.priority,
            manager_id = EXCLUDED.manager_id, route_ref = EXCLUDED.route_ref, reasons = EXCLUDED.reasons,
            doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at
        WHERE op_intents.ovn = $15
        """;

    /// <summary>Replaces the volumes: run <see cref="DeleteVolumes"/> then this once per volume: $1 intent id,
    /// $2 idx, $3 footprint, $4 lower, $5 upper, $6 start, $7 end, $8 blocking (state Accepted, Activated,
    /// Nonconforming or Contingent), $9 priority.</summary>
    public const string UpsertVolumes = """
        INSERT INTO op_intent_volumes (intent_id, idx, footprint, alt, during, blocking, priority)
        VALUES ($1, $2, $3, numrange($4, $5, '[)'), tstzrange($6, $7, '[)'), $8, $9)
        """;

    /// <summary>Deletes an intent's volumes: $1 intent id.</summary>
    public const string DeleteVolumes = "DELETE FROM op_intent_volumes WHERE intent_id = $1";

    /// <summary>Start-up load of live intents (the index is rebuilt from these): $1 = now.</summary>
    public const string LoadLive = """
        SELECT i.doc FROM op_intents i
        WHERE i.state IN ('Draft', 'Submitted', 'Accepted', 'Rejected', 'Activated', 'Nonconforming', 'Contingent')
          AND EXISTS (SELECT 1 FROM op_intent_volumes v WHERE v.intent_id = i.id AND upper(v.during) > $1)
        """;
}
