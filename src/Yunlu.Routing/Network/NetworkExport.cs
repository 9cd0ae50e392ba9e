using System.Globalization;
using System.Text.Json;
using Yunlu.Airspace.Corridors;
using Yunlu.Geo;

namespace Yunlu.Routing.Network;

/// <summary>Turns a generated network into the corridor model managers edit (airway nodes + one-way corridors), and
/// writes it as GeoJSON in the airway format <c>data/demo/corridors.geojson</c> uses (re-importable), with the report
/// and layers as foreign members.</summary>
public static class NetworkExport
{
    /// <summary>The airway nodes (vertiports and the junctions corridors end at) and one corridor per
    /// <see cref="NetworkCorridor"/>: one-way, the layer's true-height band as floor and ceiling, the configured width,
    /// speed band 0 to cruise speed and the capacity. Bend points stay centre-line vertices.</summary>
    /// <param name="network">The network.</param>
    /// <param name="nodes">Airway nodes.</param>
    /// <param name="corridors">Corridors; together with <paramref name="nodes"/> they pass <see cref="AirwayGraph.Validate"/>.</param>
    public static void ToAirways(AirwayNetwork network, out List<AirwayNode> nodes, out List<Corridor> corridors)
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkOptions o = network.Options;
        var ends = new bool[network.Nodes.Count];
        foreach (NetworkCorridor c in network.Corridors)
        {
            ends[c.From] = ends[c.To] = true;
        }

        nodes = [];
        for (int v = 0; v < network.Nodes.Count; v++)
        {
            NetworkNode node = network.Nodes[v];
            if (node.Kind == NetworkNodeKind.Vertiport || ends[v])
            {
                nodes.Add(new AirwayNode(node.Id, node.Name, node.Kind == NetworkNodeKind.Vertiport ? AirwayNodeKind.Vertiport : AirwayNodeKind.Junction, node.Position));
            }
        }

        corridors = new List<Corridor>(network.Corridors.Count);
        foreach (NetworkCorridor c in network.Corridors)
        {
            var line = new GeoPoint[c.NodePath.Count];
            for (int i = 0; i < line.Length; i++)
            {
                line[i] = network.Nodes[c.NodePath[i]].Position;
            }

            NetworkLayer layer = network.Layers[c.Layer];
            string name = string.Create(CultureInfo.InvariantCulture, $"{network.Nodes[c.From].Id} → {network.Nodes[c.To].Id} (layer {c.Layer}, {layer.FloorAglM:0}–{layer.CeilingAglM:0} m AGL)");
            corridors.Add(new Corridor(
                c.Id, name, network.Nodes[c.From].Id, network.Nodes[c.To].Id, line, o.CorridorWidthM,
                Altitude.Agl(layer.FloorAglM), Altitude.Agl(layer.CeilingAglM), CorridorDirection.OneWay,
                new SpeedBand(0, o.CruiseSpeedMps), c.CapacityPerHour));
        }
    }

    /// <summary>Writes the network as a GeoJSON FeatureCollection: airway-node Points, corridor LineStrings (with
    /// <c>layer</c> and <c>lengthM</c>), and foreign members <c>report</c> and <c>layers</c>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="writer">Destination.</param>
    /// <param name="stored">When given, written as the foreign member <c>stored</c>.</param>
    public static void WriteGeoJson(AirwayNetwork network, Utf8JsonWriter writer, bool? stored = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(writer);
        ToAirways(network, out List<AirwayNode> nodes, out List<Corridor> corridors);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteString("name", "Yunlu generated airway network");
        if (stored is { } st)
        {
            writer.WriteBoolean("stored", st);
        }

        writer.WritePropertyName("report");
        WriteReport(network.Report, writer);
        writer.WriteStartArray("layers");
        foreach (NetworkLayer l in network.Layers)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", l.Index);
            writer.WriteNumber("floorAglM", l.FloorAglM);
            writer.WriteNumber("ceilingAglM", l.CeilingAglM);
            writer.WriteNumber("fromHeadingDeg", l.FromHeadingDeg);
            writer.WriteNumber("toHeadingDeg", l.ToHeadingDeg);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("features");
        foreach (AirwayNode n in nodes)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            writer.WriteString("id", n.Id);
            writer.WriteStartObject("properties");
            writer.WriteString("type", "airway-node");
            writer.WriteString("id", n.Id);
            writer.WriteString("name", n.Name);
            writer.WriteString("kind", n.Kind == AirwayNodeKind.Vertiport ? "VERTIPORT" : "JUNCTION");
            writer.WriteEndObject();
            writer.WriteStartObject("geometry");
            writer.WriteString("type", "Point");
            writer.WriteStartArray("coordinates");
            writer.WriteNumberValue(Math.Round(n.Position.LonDeg, 8));
            writer.WriteNumberValue(Math.Round(n.Position.LatDeg, 8));
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        for (int i = 0; i < corridors.Count; i++)
        {
            Corridor c = corridors[i];
            NetworkCorridor nc = network.Corridors[i];
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            writer.WriteString("id", c.Id);
            writer.WriteStartObject("properties");
            writer.WriteString("type", "corridor");
            writer.WriteString("id", c.Id);
            writer.WriteString("name", c.Name);
            writer.WriteString("from", c.FromNodeId);
            writer.WriteString("to", c.ToNodeId);
            writer.WriteNumber("widthM", c.WidthM);
            writer.WriteStartObject("floor");
            writer.WriteNumber("value", c.Floor.ValueM);
            writer.WriteString("reference", "AGL");
            writer.WriteEndObject();
            writer.WriteStartObject("ceiling");
            writer.WriteNumber("value", c.Ceiling.ValueM);
            writer.WriteString("reference", "AGL");
            writer.WriteEndObject();
            writer.WriteString("direction", "ONE_WAY");
            writer.WriteNumber("minSpeedMps", c.Speed.MinMps);
            writer.WriteNumber("maxSpeedMps", c.Speed.MaxMps);
            writer.WriteNumber("capacityPerHour", c.CapacityPerHour);
            writer.WriteNumber("layer", nc.Layer);
            writer.WriteNumber("lengthM", Math.Round(nc.LengthM, 2));
            writer.WriteEndObject();
            writer.WriteStartObject("geometry");
            writer.WriteString("type", "LineString");
            writer.WriteStartArray("coordinates");
            foreach (GeoPoint p in c.CentreLine)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(Math.Round(p.LonDeg, 8));
                writer.WriteNumberValue(Math.Round(p.LatDeg, 8));
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes the report as a JSON object (camelCase names).</summary>
    /// <param name="r">The report.</param>
    /// <param name="writer">Destination.</param>
    public static void WriteReport(NetworkReport r, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("vertiports", r.Vertiports);
        writer.WriteNumber("nodes", r.Nodes);
        writer.WriteNumber("junctions", r.Junctions);
        writer.WriteNumber("segments", r.Segments);
        writer.WriteNumber("corridors", r.Corridors);
        writer.WriteNumber("networkLengthM", Math.Round(r.NetworkLengthM, 1));
        writer.WriteNumber("mstLengthM", Math.Round(r.MstLengthM, 1));
        writer.WriteNumber("lengthVsMst", Math.Round(r.LengthVsMst, 4));
        writer.WriteString("freeRouteReference", r.FreeRouteReference);
        writer.WriteNumber("meanDetour", Math.Round(r.MeanDetour, 4));
        writer.WriteNumber("p95Detour", Math.Round(r.P95Detour, 4));
        writer.WriteNumber("maxDetour", Math.Round(r.MaxDetour, 4));
        writer.WriteNumber("demandWeightedDetour", Math.Round(r.DemandWeightedDetour, 4));
        writer.WriteNumber("sameLayerCrossings", r.SameLayerCrossings);
        writer.WriteNumber("separationViolations", r.SeparationViolations);
        writer.WriteNumber("corridorCapacityPerHour", r.CorridorCapacityPerHour);
        writer.WriteNumber("totalCapacityFlightKmPerHour", Math.Round(r.TotalCapacityFlightKmPerHour, 1));
        writer.WriteNumber("cleanupRounds", r.CleanupRounds);
        writer.WriteNumber("keepOuts", r.KeepOutCount);
        writer.WriteEndObject();
    }

    /// <summary>Reads an origin–destination demand CSV: a header line, then <c>origin,destination,flights</c> per line
    /// (ids as in the vertiport list, flights ≥ 0; blank lines and lines starting with # are skipped).</summary>
    /// <param name="reader">The text.</param>
    /// <param name="errors">Receives one error per bad line, naming the line and the field.</param>
    public static List<OdDemand> ReadDemandCsv(TextReader reader, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(errors);
        var list = new List<OdDemand>();
        int lineNo = 0;
        bool header = true;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            string t = line.Trim();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            if (header)
            {
                header = false;
                continue;
            }

            string[] parts = t.Split(',');
            if (parts.Length < 3)
            {
                errors.Add($"demand line {lineNo}: needs origin,destination,flights [columns]");
                continue;
            }

            if (!double.TryParse(parts[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double flights) || !(flights >= 0) || !double.IsFinite(flights))
            {
                errors.Add($"demand line {lineNo}: flights '{parts[2].Trim()}' must be a number ≥ 0 [range]");
                continue;
            }

            list.Add(new OdDemand(parts[0].Trim(), parts[1].Trim(), flights));
        }

        return list;
    }
}
