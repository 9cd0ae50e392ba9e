namespace Yunlu.Storage.Migrations;

/// <summary>One schema migration: applied in <see cref="Version"/> order, each in the same transaction as its
/// <c>schema_migrations</c> row.</summary>
/// <param name="Version">1, 2, 3, … without gaps.</param>
/// <param name="Name">A short name recorded in <c>schema_migrations</c>.</param>
/// <param name="Sql">The DDL.</param>
internal sealed record Migration(int Version, string Name, string Sql);
