using System.Globalization;
using Yunlu.Storage.Supervision;

namespace Yunlu.Storage.Tests.Supervision;

/// <summary>Position recording (multi-row inserts on SQLite, COPY on PostgreSQL): every row back exactly, in any batch size.</summary>
public abstract class RecordingStoreTests(TestDatabaseKind kind) : FreshStoreTest(kind)
{
    private const long T0Us = 1_764_000_000_000_000;

    private static RecordedPosition Row(Random rng, int aircraft, int second) =>
        new("AC" + aircraft.ToString(CultureInfo.InvariantCulture), T0Us + (second * 1_000_000L) + aircraft, 26 + rng.NextDouble(), 106 + rng.NextDouble(),
            rng.Next(4) == 0 ? double.NaN : 1000 + rng.NextDouble(), 990 + rng.NextDouble(), rng.Next(3) == 0 ? double.NaN : rng.NextDouble() * 120,
            rng.NextDouble(), -rng.NextDouble(), 0.5, rng.Next(1, 64), rng.Next(8));

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(150)]
    [InlineData(1000)]
    public async Task AppendPositions_BatchesOfAnySize_EveryRowBackExactly(int batch)
    {
        var rng = new Random(batch);
        var written = new List<RecordedPosition>();
        await using (ISupervisionStore store = SupervisionStoreFactory.Create(Connection))
        {
            for (int second = 0; second < 3; second++)
            {
                // Aircraft in a shuffled order, as the engine records them.
                RecordedPosition[] rows = [.. Enumerable.Range(0, batch).Select(a => Row(rng, a, second)).OrderBy(_ => rng.Next())];
                await store.AppendPositionsAsync(rows, Ct);
                written.AddRange(rows);
            }

            foreach (int a in new[] { 0, batch / 2, batch - 1 })
            {
                string id = "AC" + a.ToString(CultureInfo.InvariantCulture);
                IReadOnlyList<RecordedPosition> history = await store.HistoryAsync(id, T0Us, T0Us + 10_000_000, 100, Ct);
                Assert.Equal(written.Where(r => r.AircraftId == id).OrderBy(r => r.TimeUs), history);
            }

            IReadOnlyList<RecordedPosition> picture = await store.PictureAsync(T0Us + 2_500_000, T0Us, 10_000, Ct);
            Assert.Equal(batch, picture.Count);
            Assert.All(picture, p => Assert.Equal(T0Us + 2_000_000 + int.Parse(p.AircraftId.AsSpan(2), CultureInfo.InvariantCulture), p.TimeUs));
        }
    }
}

public sealed class SqliteRecordingStoreTests() : RecordingStoreTests(TestDatabaseKind.Sqlite);

public sealed class PostgresRecordingStoreTests() : RecordingStoreTests(TestDatabaseKind.Postgres);
