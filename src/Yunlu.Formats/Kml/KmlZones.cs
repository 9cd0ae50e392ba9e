using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Formats.Internal;
using Yunlu.Formats.Zones;
using Yunlu.Geo;

namespace Yunlu.Formats.Kml;

/// <summary>
/// KML 2.2 (and KMZ: a zip holding doc.kml) zones. Every Placemark, at any depth of Documents and Folders, is a zone:
/// its Polygon(s) (MultiGeometry gives one zone per shape) or a Point with ExtendedData radius_m (a circle).
/// Attributes come from ExtendedData (Data/value or SchemaData/SimpleData): identifier, country, restriction,
/// reasons, message, lower, lower_reference, upper, upper_reference, uom, radius_m, applicability (Yunlu JSON),
/// authority_*. Without ExtendedData upper the ceiling is the highest coordinate altitude, referenced by
/// altitudeMode: relativeToGround → AGL, absolute → AMSL (KML absolute is EGM96 MSL). The floor defaults to 0 m AGL.
/// </summary>
internal static class KmlZones
{
    private const string KmlNs = "http://www.opengis.net/kml/2.2";

    public static void Read(byte[] bytes, ImportErrors errors, List<Zone> into)
    {
        XDocument doc = Load(bytes, errors.Limits);
        XElement? root = doc.Root;
        if (root is null || root.Name.LocalName != "kml")
        {
            throw new InvalidFileException(ImportRules.StructureInvalid, "the document's root element is not <kml>");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (XElement placemark in root.Descendants())
        {
            if (placemark.Name.LocalName != "Placemark")
            {
                continue;
            }

            if (index >= errors.Limits.MaxFeatures)
            {
                int total = 0;
                foreach (XElement e in root.Descendants())
                {
                    total += e.Name.LocalName == "Placemark" ? 1 : 0;
                }

                ZoneFiles.FeatureLimit(total, errors);
                break;
            }

            errors.BeginFeature(index++);
            ReadPlacemark(placemark, errors, seen, into);
            if (errors.IsFull)
            {
                break;
            }
        }
    }

    public static byte[] ExtractKmz(byte[] bytes, ImportLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            ZipArchiveEntry? entry = zip.GetEntry("doc.kml");
            if (entry is null)
            {
                foreach (ZipArchiveEntry e in zip.Entries)
                {
                    if (e.FullName.EndsWith(".kml", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/', StringComparison.Ordinal))
                    {
                        entry = e;
                        break;
                    }
                }
            }

            if (entry is null)
            {
                throw new InvalidFileException(ImportRules.KmzNoKml, "the KMZ holds no doc.kml (nor any .kml at its root)");
            }

            if (entry.Length > limits.MaxBytes)
            {
                throw new InvalidFileException(
                    ImportRules.FileTooLarge,
                    string.Create(CultureInfo.InvariantCulture, $"KMZ entry '{entry.FullName}' unpacks to {entry.Length} bytes, over the limit of {limits.MaxBytes}"));
            }

            // The declared size may lie (zip bombs): the bounded read counts what really comes out.
            using Stream s = entry.Open();
            return BoundedInput.ReadAll(s, limits.MaxBytes, $"KMZ entry '{entry.FullName}'");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // A damaged deflate stream surfaces as InvalidDataException or as zlib's IOException; the archive is in memory.
            throw new InvalidFileException(ImportRules.ZipMalformed, $"the KMZ is not a readable zip archive: {ex.Message}");
        }
    }

    private static XDocument Load(byte[] bytes, ImportLimits limits)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = limits.MaxBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new InvalidFileException(
                ImportRules.XmlMalformed,
                string.Create(CultureInfo.InvariantCulture, $"XML is not well formed at line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}"));
        }
    }

    private static string Where(XElement e) =>
        e is IXmlLineInfo li && li.HasLineInfo() ? string.Create(CultureInfo.InvariantCulture, $" (line {li.LineNumber})") : "";

    private static XElement? Child(XElement parent, string localName)
    {
        foreach (XElement e in parent.Elements())
        {
            if (e.Name.LocalName == localName)
            {
                return e;
            }
        }

        return null;
    }

    private static Dictionary<string, string> ExtendedData(XElement placemark)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        XElement? ext = Child(placemark, "ExtendedData");
        if (ext is null)
        {
            return data;
        }

        foreach (XElement e in ext.Descendants())
        {
            string? name = e.Attribute("name")?.Value;
            if (name is null)
            {
                continue;
            }

            if (e.Name.LocalName == "Data")
            {
                XElement? value = Child(e, "value");
                data[name] = (value?.Value ?? "").Trim();
            }
            else if (e.Name.LocalName == "SimpleData")
            {
                data[name] = e.Value.Trim();
            }
        }

        return data;
    }

    private static void ReadPlacemark(XElement pm, ImportErrors errors, HashSet<string> seen, List<Zone> into)
    {
        int before = errors.Count;
        Dictionary<string, string> data = ExtendedData(pm);
        var a = new ZoneAttributes();
        a.Identifier = data.GetValueOrDefault("identifier") ?? pm.Attribute("id")?.Value;
        errors.FeatureId = a.Identifier;
        if (a.Identifier is null)
        {
            errors.Add("ExtendedData.identifier", ImportRules.FieldMissing, $"a zone Placemark needs ExtendedData 'identifier' or an id attribute{Where(pm)}");
        }

        ZoneCommon.CheckIdentifier(a.Identifier, "ExtendedData.identifier", errors);
        a.Name = Child(pm, "name")?.Value.Trim();
        string? country = data.GetValueOrDefault("country");
        ZoneCommon.CheckCountry(country, "ExtendedData.country", errors);
        a.Country = country ?? "CHN";
        if (data.TryGetValue("restriction", out string? restriction))
        {
            ZoneCommon.ReadRestriction(restriction, "ExtendedData.restriction", errors, a);
        }
        else
        {
            errors.Add("ExtendedData.restriction", ImportRules.FieldMissing, $"'restriction' is required{Where(pm)}");
        }

        if (data.TryGetValue("reasons", out string? reasons))
        {
            string[] codes = reasons.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (string code in codes)
            {
                if (ZoneCodes.TryParseReason(code, out ZoneReason r))
                {
                    if (!a.Reasons.Contains(r))
                    {
                        a.Reasons.Add(r);
                    }
                }
                else
                {
                    errors.Add("ExtendedData.reasons", ImportRules.ReasonUnknown, $"unknown reason '{code}'");
                }
            }
        }

        a.Message = data.GetValueOrDefault("message") ?? Child(pm, "description")?.Value.Trim();
        a.Applicability = ReadApplicability(pm, data, errors);
        if (data.TryGetValue("authority_name", out string? authorityName))
        {
            a.Authority = new ZoneAuthority(
                authorityName,
                data.GetValueOrDefault("authority_service"),
                data.GetValueOrDefault("authority_email"),
                data.GetValueOrDefault("authority_phone"),
                data.GetValueOrDefault("authority_site_url"),
                data.GetValueOrDefault("authority_purpose"));
        }

        double perUnit = 1;
        if (data.TryGetValue("uom", out string? uom) && !ZoneCodes.TryParseUom(uom, out perUnit))
        {
            errors.Add("ExtendedData.uom", ImportRules.UomUnknown, $"unknown unit '{uom}' (M or FT)");
            perUnit = 1;
        }

        Altitude? lower = DataAltitude(data, "lower", perUnit, errors) ?? (data.ContainsKey("lower") ? null : Altitude.Agl(0));
        Altitude? upper = DataAltitude(data, "upper", perUnit, errors);

        var shapes = new List<(Footprint Footprint, Altitude? Upper)>(1);
        bool any = false;
        foreach (XElement g in pm.Elements())
        {
            switch (g.Name.LocalName)
            {
                case "Polygon" or "Point" or "MultiGeometry" or "LineString" or "LinearRing" or "Model" or "Track" or "MultiTrack":
                    any = true;
                    ReadGeometry(g, data, perUnit, errors, shapes);
                    break;
            }
        }

        if (!any)
        {
            errors.Add("geometry", ImportRules.FieldMissing, $"the Placemark has no geometry{Where(pm)}");
        }

        var volumes = new List<ZoneVolume>(shapes.Count);
        foreach ((Footprint footprint, Altitude? coordinateUpper) in shapes)
        {
            Altitude? up = upper ?? coordinateUpper;
            if (up is null)
            {
                if (!data.ContainsKey("upper"))
                {
                    errors.Add("ExtendedData.upper", ImportRules.FieldMissing,
                        "no ceiling: give ExtendedData 'upper' and 'upper_reference', or coordinates with altitudes and altitudeMode relativeToGround or absolute");
                }

                break;
            }

            if (lower is null)
            {
                break;
            }

            ZoneCommon.CheckBand(lower.Value, up.Value, "ExtendedData.upper", errors);
            volumes.Add(new ZoneVolume(footprint, lower.Value, up.Value));
        }

        ZoneCommon.Emit(a, volumes, before, errors, seen, into);
    }

    private static Altitude? DataAltitude(Dictionary<string, string> data, string name, double perUnit, ImportErrors errors)
    {
        if (!data.TryGetValue(name, out string? text))
        {
            return null;
        }

        string field = "ExtendedData." + name;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            errors.Add(field, ImportRules.TypeMismatch, $"expected a number, found '{text}'");
            return null;
        }

        if (!double.IsFinite(value))
        {
            errors.Add(field, ImportRules.NotFinite, $"'{text}' is not a finite number");
            return null;
        }

        if (!data.TryGetValue(name + "_reference", out string? refText))
        {
            errors.Add(field + "_reference", ImportRules.AltitudeReferenceMissing, $"'{name}' has no '{name}_reference' (AGL, AMSL or WGS84)");
            return null;
        }

        if (!ZoneCodes.TryParseReference(refText, out AltitudeReference reference))
        {
            errors.Add(field + "_reference", ImportRules.AltitudeReferenceUnknown, $"unknown altitude reference '{refText}' (AGL, AMSL, WGS84)");
            return null;
        }

        return new Altitude(value * perUnit, reference);
    }

    private static IReadOnlyList<ZoneApplicability> ReadApplicability(XElement pm, Dictionary<string, string> data, ImportErrors errors)
    {
        if (data.TryGetValue("applicability", out string? json))
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
                return ZoneCommon.ReadApplicability(doc.RootElement, "ExtendedData.applicability", errors);
            }
            catch (JsonException ex)
            {
                errors.Add("ExtendedData.applicability", ImportRules.TypeMismatch, $"applicability must be Yunlu applicability JSON: {ex.Message}");
                return [ZoneApplicability.Always];
            }
        }

        XElement? span = Child(pm, "TimeSpan");
        if (span is null)
        {
            return [ZoneApplicability.Always];
        }

        DateTimeOffset? begin = SpanTime(Child(span, "begin"), "TimeSpan.begin", errors);
        DateTimeOffset? end = SpanTime(Child(span, "end"), "TimeSpan.end", errors);
        if (begin is not null && end is not null && begin.Value >= end.Value)
        {
            errors.Add("TimeSpan.end", ImportRules.ScheduleEmpty, "the TimeSpan never applies: end is not after begin");
        }

        return [new ZoneApplicability(false, begin, end, [])];
    }

    private static DateTimeOffset? SpanTime(XElement? e, string field, ImportErrors errors)
    {
        if (e is null)
        {
            return null;
        }

        if (ZoneCodes.TryParseDateTime(e.Value, out DateTimeOffset t))
        {
            return t;
        }

        errors.Add(field, ImportRules.TimeFormat, $"'{e.Value}' is not an ISO 8601 date-time");
        return null;
    }

    private static void ReadGeometry(XElement g, Dictionary<string, string> data, double perUnit, ImportErrors errors, List<(Footprint, Altitude?)> shapes)
    {
        switch (g.Name.LocalName)
        {
            case "MultiGeometry":
                foreach (XElement member in g.Elements())
                {
                    ReadGeometry(member, data, perUnit, errors, shapes);
                }

                break;
            case "Polygon":
                ReadPolygon(g, errors, shapes);
                break;
            case "Point":
                ReadCircle(g, data, perUnit, errors, shapes);
                break;
            default:
                errors.Add("geometry", ImportRules.GeometryTypeUnsupported, $"a zone must be a Polygon, a MultiGeometry of them or a Point with radius_m, found {g.Name.LocalName}{Where(g)}");
                break;
        }
    }

    /// <summary>The altitude reference an altitudeMode gives coordinate altitudes: null for clampToGround (altitudes
    /// ignored), false-returning for modes Yunlu cannot map.</summary>
    private static bool TryAltitudeMode(XElement g, ImportErrors errors, out AltitudeReference? reference)
    {
        reference = null;
        XElement? mode = Child(g, "altitudeMode");
        string text = mode?.Value.Trim() ?? "clampToGround";
        switch (text)
        {
            case "clampToGround":
                return true;
            case "relativeToGround":
                reference = AltitudeReference.Agl;
                return true;
            case "absolute":
                reference = AltitudeReference.Amsl;
                return true;
            default:
                errors.Add("altitudeMode", ImportRules.AltitudeReferenceUnknown, $"altitudeMode '{text}' cannot be mapped (clampToGround, relativeToGround, absolute){Where(g)}");
                return false;
        }
    }

    private static void ReadPolygon(XElement g, ImportErrors errors, List<(Footprint, Altitude?)> shapes)
    {
        if (!TryAltitudeMode(g, errors, out AltitudeReference? reference))
        {
            return;
        }

        var ringElements = new List<XElement>();
        XElement? outer = Child(g, "outerBoundaryIs");
        XElement? outerRing = outer is null ? null : Child(outer, "LinearRing");
        if (outerRing is null)
        {
            errors.Add("Polygon.outerBoundaryIs", ImportRules.FieldMissing, $"the Polygon has no outerBoundaryIs/LinearRing{Where(g)}");
            return;
        }

        ringElements.Add(outerRing);
        foreach (XElement inner in g.Elements())
        {
            if (inner.Name.LocalName == "innerBoundaryIs")
            {
                foreach (XElement ring in inner.Elements())
                {
                    if (ring.Name.LocalName == "LinearRing")
                    {
                        ringElements.Add(ring);
                    }
                }
            }
        }

        long vertices = 0;
        foreach (XElement ring in ringElements)
        {
            vertices += CountTuples(Child(ring, "coordinates")?.Value ?? "");
        }

        if (vertices > errors.Limits.MaxVerticesPerFeature)
        {
            PolygonBuilder.VertexLimit(vertices, "Polygon.coordinates", errors);
            return;
        }

        var rings = new List<Coordinate[]>(ringElements.Count);
        double maxAlt = double.NegativeInfinity;
        for (int r = 0; r < ringElements.Count; r++)
        {
            string field = r == 0 ? "Polygon.outerBoundaryIs" : "Polygon.innerBoundaryIs";
            double ringMaxAlt = double.NegativeInfinity;
            Coordinate[]? coords = ParseCoordinates(Child(ringElements[r], "coordinates")?.Value ?? "", field, errors, ref ringMaxAlt);
            if (r == 0)
            {
                maxAlt = ringMaxAlt;
            }

            if (coords is null || !PolygonBuilder.CheckRing(coords, field, errors))
            {
                return;
            }

            rings.Add(coords);
        }

        Polygon? polygon = PolygonBuilder.Build(rings, "Polygon", errors);
        if (polygon is null)
        {
            return;
        }

        Altitude? upper = reference is not null && double.IsFinite(maxAlt) ? new Altitude(maxAlt, reference.Value) : null;
        shapes.Add((new PolygonFootprint(polygon), upper));
    }

    private static void ReadCircle(XElement g, Dictionary<string, string> data, double perUnit, ImportErrors errors, List<(Footprint, Altitude?)> shapes)
    {
        if (!TryAltitudeMode(g, errors, out AltitudeReference? reference))
        {
            return;
        }

        if (!data.TryGetValue("radius_m", out string? radiusText))
        {
            errors.Add("ExtendedData.radius_m", ImportRules.GeometryTypeUnsupported, $"a Point zone needs ExtendedData 'radius_m' (a circle){Where(g)}");
            return;
        }

        if (!double.TryParse(radiusText, NumberStyles.Float, CultureInfo.InvariantCulture, out double radiusM))
        {
            errors.Add("ExtendedData.radius_m", ImportRules.TypeMismatch, $"expected a number, found '{radiusText}'");
            return;
        }

        double maxAlt = double.NegativeInfinity;
        Coordinate[]? coords = ParseCoordinates(Child(g, "coordinates")?.Value ?? "", "Point.coordinates", errors, ref maxAlt);
        if (coords is null)
        {
            return;
        }

        if (coords.Length != 1)
        {
            errors.Add("Point.coordinates", ImportRules.CoordinateInvalid, $"a Point has exactly one position, found {coords.Length}");
            return;
        }

        CircleFootprint? circle = PolygonBuilder.Circle(coords[0].X, coords[0].Y, radiusM, "Point.coordinates", "ExtendedData.radius_m", errors);
        if (circle is not null)
        {
            Altitude? upper = reference is not null && double.IsFinite(maxAlt) ? new Altitude(maxAlt, reference.Value) : null;
            shapes.Add((circle, upper));
        }
    }

    private static long CountTuples(string text)
    {
        long n = 0;
        bool inToken = false;
        foreach (char c in text)
        {
            bool space = char.IsWhiteSpace(c);
            if (!space && !inToken)
            {
                n++;
            }

            inToken = !space;
        }

        return n;
    }

    /// <summary>Parses KML "lon,lat[,alt]" tuples separated by whitespace; tracks the highest altitude.</summary>
    private static Coordinate[]? ParseCoordinates(string text, string field, ImportErrors errors, ref double maxAlt)
    {
        var list = new List<Coordinate>();
        foreach (string tuple in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = tuple.Split(',');
            if (parts.Length is < 2 or > 3 ||
                !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double lon) ||
                !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double lat))
            {
                errors.Add(field, ImportRules.CoordinateInvalid, $"'{Truncate(tuple)}' is not a KML tuple lon,lat[,alt]");
                return null;
            }

            if (!PolygonBuilder.CheckPosition(lon, lat, field, errors))
            {
                return null;
            }

            if (parts.Length == 3)
            {
                if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double alt))
                {
                    errors.Add(field, ImportRules.CoordinateInvalid, $"altitude '{Truncate(parts[2])}' is not a number");
                    return null;
                }

                if (!double.IsFinite(alt))
                {
                    errors.Add(field, ImportRules.NotFinite, "an altitude is NaN or infinite");
                    return null;
                }

                maxAlt = Math.Max(maxAlt, alt);
            }

            list.Add(new Coordinate(lon, lat));
        }

        return list.ToArray();
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    public static void Write(Stream stream, IEnumerable<Zone> zones)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false };
        using var w = XmlWriter.Create(stream, settings);
        w.WriteStartDocument();
        w.WriteStartElement("kml", KmlNs);
        w.WriteStartElement("Document", KmlNs);
        w.WriteElementString("name", KmlNs, "Yunlu UAS geographical zones");
        foreach (Zone z in zones)
        {
            w.WriteStartElement("Placemark", KmlNs);
            w.WriteElementString("name", KmlNs, z.Name);
            w.WriteStartElement("ExtendedData", KmlNs);
            Data(w, "identifier", z.Identifier);
            Data(w, "country", z.Country);
            Data(w, "restriction", ZoneCodes.RestrictionCode(z.Restriction, americanSpelling: false));
            var reasons = new List<string>(z.Reasons.Count);
            foreach (ZoneReason r in z.Reasons)
            {
                reasons.Add(ZoneCodes.ReasonCode(r));
            }

            Data(w, "reasons", string.Join(',', reasons));
            Data(w, "uom", "m");
            Data(w, "lower", Num(z.Lower.ValueM));
            Data(w, "lower_reference", ZoneCodes.ReferenceCodeEd(z.Lower.Reference));
            Data(w, "upper", Num(z.Upper.ValueM));
            Data(w, "upper_reference", ZoneCodes.ReferenceCodeEd(z.Upper.Reference));
            if (z.Footprint is CircleFootprint c)
            {
                Data(w, "radius_m", Num(c.RadiusM));
            }

            if (z.Message is not null)
            {
                Data(w, "message", z.Message);
            }

            if (!(z.Applicability.Count == 1 && z.Applicability[0].Permanent))
            {
                using var buffer = new MemoryStream();
                using (var jw = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ZoneCommon.WriterOptions.Encoder }))
                {
                    ZoneCommon.WriteApplicability(jw, z.Applicability, ZoneCommon.PermanentStyle.Boolean, timeZ: false);
                }

                Data(w, "applicability", Encoding.UTF8.GetString(buffer.ToArray()));
            }

            if (z.Authority is { } a)
            {
                Data(w, "authority_name", a.Name);
                DataOptional(w, "authority_service", a.Service);
                DataOptional(w, "authority_email", a.Email);
                DataOptional(w, "authority_phone", a.Phone);
                DataOptional(w, "authority_site_url", a.SiteUrl);
                DataOptional(w, "authority_purpose", a.Purpose);
            }

            w.WriteEndElement();

            // W84 has no altitudeMode: the ExtendedData above is authoritative; the geometry shows the ceiling.
            string mode = z.Upper.Reference == AltitudeReference.Agl ? "relativeToGround" : "absolute";
            switch (z.Footprint)
            {
                case PolygonFootprint pf:
                    w.WriteStartElement("Polygon", KmlNs);
                    w.WriteElementString("extrude", KmlNs, "1");
                    w.WriteElementString("altitudeMode", KmlNs, mode);
                    w.WriteStartElement("outerBoundaryIs", KmlNs);
                    Ring(w, pf.Polygon.ExteriorRing.Coordinates, z.Upper.ValueM);
                    w.WriteEndElement();
                    foreach (LineString hole in pf.Polygon.InteriorRings)
                    {
                        w.WriteStartElement("innerBoundaryIs", KmlNs);
                        Ring(w, hole.Coordinates, z.Upper.ValueM);
                        w.WriteEndElement();
                    }

                    w.WriteEndElement();
                    break;
                case CircleFootprint cf:
                    w.WriteStartElement("Point", KmlNs);
                    w.WriteElementString("altitudeMode", KmlNs, mode);
                    w.WriteElementString("coordinates", KmlNs, Num(cf.Center.LonDeg) + "," + Num(cf.Center.LatDeg) + "," + Num(z.Upper.ValueM));
                    w.WriteEndElement();
                    break;
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    public static void WriteKmz(Stream stream, IEnumerable<Zone> zones)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        ZipArchiveEntry entry = zip.CreateEntry("doc.kml", CompressionLevel.Optimal);
        using Stream s = entry.Open();
        Write(s, zones);
    }

    private static void Ring(XmlWriter w, Coordinate[] ring, double altitude)
    {
        w.WriteStartElement("LinearRing", KmlNs);
        var sb = new StringBuilder(ring.Length * 40);
        string alt = Num(altitude);
        foreach (Coordinate c in ring)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(Num(c.X)).Append(',').Append(Num(c.Y)).Append(',').Append(alt);
        }

        w.WriteElementString("coordinates", KmlNs, sb.ToString());
        w.WriteEndElement();
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void Data(XmlWriter w, string name, string value)
    {
        w.WriteStartElement("Data", KmlNs);
        w.WriteAttributeString("name", name);
        w.WriteElementString("value", KmlNs, value);
        w.WriteEndElement();
    }

    private static void DataOptional(XmlWriter w, string name, string? value)
    {
        if (value is not null)
        {
            Data(w, name, value);
        }
    }
}
