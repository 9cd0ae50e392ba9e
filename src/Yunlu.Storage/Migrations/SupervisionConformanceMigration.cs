namespace Yunlu.Storage.Migrations;

/// <summary>
/// Schema migration 7, <c>supervision_conformance</c>: table <c>sup_conformance</c> holds, per Nonconforming intent, the
/// moment its aircraft left its volumes, so that the ASTM F3548 contingent clock (Contingent after 60 s
/// nonconforming) survives a rebuild of the supervision engine and a server restart.
/// </summary>
internal static class SupervisionConformanceMigration
{
    /// <summary>The migration's name in <c>schema_migrations</c>.</summary>
    public const string Name = "supervision_conformance";

    /// <summary>The SQLite version.</summary>
    public static Migration Sqlite { get; } = new(7, Name, """
        CREATE TABLE sup_conformance (
            intent_id TEXT PRIMARY KEY,
            since_us INTEGER NOT NULL
        );
        """);

    /// <summary>The PostgreSQL version.</summary>
    public static Migration Postgres { get; } = new(7, Name, """
        CREATE TABLE sup_conformance (
            intent_id text COLLATE "C" PRIMARY KEY,
            since_us bigint NOT NULL
        );
        """);
}
