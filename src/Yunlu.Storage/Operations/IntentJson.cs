using System.Text.Json;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;
using Yunlu.Storage.Serialization;

namespace Yunlu.Storage.Operations;

/// <summary>The stored JSON document of an operational intent (footprints as in zone documents; altitudes W84 metres).</summary>
public static class IntentJson
{
    /// <summary>Serialises an intent.</summary>
    /// <param name="intent">The intent (all altitudes W84).</param>
    public static string Serialize(OperationalIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var volumes = new List<VolumeDoc>(intent.Volumes.Count);
        foreach (Volume4D v in intent.Volumes)
        {
            volumes.Add(new VolumeDoc(v.Volume.Footprint, v.Volume.Lower.ValueM, v.Volume.Upper.ValueM, v.Time.Start, v.Time.End));
        }

        var doc = new IntentDoc(intent.Id, intent.OwnerId, intent.ManagerId, intent.Priority, intent.OperatorId, intent.AircraftId, intent.PilotId,
            volumes, intent.RouteRef, [.. intent.ZoneAuthorisations], intent.State, intent.Ovn, intent.Version, [.. intent.Reasons], intent.UpdatedAt);
        return JsonSerializer.Serialize(doc, ZoneJson.Options);
    }

    /// <summary>Reads an intent written by <see cref="Serialize"/>.</summary>
    /// <param name="json">The document.</param>
    /// <exception cref="JsonException">The document is not an intent.</exception>
    public static OperationalIntent Deserialize(string json)
    {
        IntentDoc doc = JsonSerializer.Deserialize<IntentDoc>(json, ZoneJson.Options) ?? throw new JsonException("intent document is null");
        var volumes = new Volume4D[doc.Volumes.Count];
        for (int i = 0; i < volumes.Length; i++)
        {
            VolumeDoc v = doc.Volumes[i];
            volumes[i] = new Volume4D(new Volume3D(v.Footprint, Altitude.W84(v.LowerW84M), Altitude.W84(v.UpperW84M)), new TimeWindow(v.Start, v.End));
        }

        return new OperationalIntent
        {
            Id = doc.Id,
            OwnerId = doc.OwnerId,
            ManagerId = doc.ManagerId,
            Priority = doc.Priority,
            OperatorId = doc.OperatorId,
            AircraftId = doc.AircraftId,
            PilotId = doc.PilotId,
            Volumes = volumes,
            RouteRef = doc.RouteRef,
            ZoneAuthorisations = doc.ZoneAuthorisations ?? [],
            State = doc.State,
            Ovn = doc.Ovn,
            Version = doc.Version,
            Reasons = doc.Reasons ?? [],
            UpdatedAt = doc.UpdatedAt,
        };
    }

    private sealed record IntentDoc(
        Guid Id,
        string OwnerId,
        string? ManagerId,
        IntentPriority Priority,
        string OperatorId,
        string AircraftId,
        string PilotId,
        List<VolumeDoc> Volumes,
        string? RouteRef,
        List<string>? ZoneAuthorisations,
        IntentState State,
        string Ovn,
        long Version,
        List<string>? Reasons,
        DateTimeOffset UpdatedAt);

    private sealed record VolumeDoc(Footprint Footprint, double LowerW84M, double UpperW84M, DateTimeOffset Start, DateTimeOffset End);
}
