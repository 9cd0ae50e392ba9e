using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Yunlu.Airspace.Rules;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;
using Yunlu.Storage.Operations;

namespace Yunlu.Server.Operations;

/// <summary>
/// The registry of operators, aircraft, pilots and webhooks: validation (field + rule), the aircraft class from the
/// rule engine, and a read cache (entries live <see cref="CacheLifetime"/>; local writes replace them at once, writes on
/// another server are seen after at most that long).
/// </summary>
public sealed partial class RegistryService(IOperationsStore store, TimeProvider time)
{
    /// <summary>How long a cached registry entry is trusted.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Kind, string Id), (RegistryEntry Entry, long Expires)> _cache = new();

    /// <summary>The rule engine classifying aircraft (cn-2024).</summary>
    public static RuleEngine Rules { get; } = new(RuleSet.China2024);

    /// <summary>An entry, from the cache when fresh.</summary>
    public async Task<RegistryEntry?> GetAsync(string kind, string id, CancellationToken cancellationToken)
    {
        long now = time.GetTimestamp();
        if (_cache.TryGetValue((kind, id), out var hit) && hit.Expires > now)
        {
            return hit.Entry;
        }

        RegistryEntry? entry = await store.GetRegistryAsync(kind, id, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            _cache[(kind, id)] = (entry, now + (long)(CacheLifetime.TotalSeconds * time.TimestampFrequency));
        }

        return entry;
    }

    /// <summary>Stores an entry and caches it.</summary>
    public async Task<RegistryEntry> PutAsync(string kind, string id, string json, string actor, long? expectedVersion, CancellationToken cancellationToken)
    {
        RegistryEntry entry = await store.PutRegistryAsync(kind, id, json, actor, expectedVersion, cancellationToken).ConfigureAwait(false);
        _cache[(kind, id)] = (entry, time.GetTimestamp() + (long)(CacheLifetime.TotalSeconds * time.TimestampFrequency));
        return entry;
    }

    /// <summary>The document of an entry.</summary>
    public static T Read<T>(RegistryEntry entry)
        where T : class =>
        (T)(JsonSerializer.Deserialize(entry.Json, typeof(T), OperationsJsonContext.Default) ?? throw new JsonException($"{entry.Kind}/{entry.Id}: empty document"));

    /// <summary>Serialises a document for the store.</summary>
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, typeof(T), OperationsJsonContext.Default);

    /// <summary>Checks an identifier (1–128 of A-Z a-z 0-9 . _ : -).</summary>
    public static void CheckId(string id, Violations violations)
    {
        if (!IdPattern().IsMatch(id))
        {
            violations.Add("id", "id-format", "an identifier is 1–128 characters of A-Z a-z 0-9 . _ : -");
        }
    }

    /// <summary>Validates an operator.</summary>
    public static OperatorDto? Validate(OperatorDto? dto, Violations violations)
    {
        if (dto is null)
        {
            violations.Add("$", "required", "the body is an operator object");
            return null;
        }

        Required(dto.Name, "name", violations);
        if (!WireNames.TryParse<OperationCategory>(dto.Category, out var category))
        {
            violations.Add("category", "value-unknown", $"category is one of {WireNames.List<OperationCategory>()} (开放/特定/审定)");
        }

        var licences = dto.Licences ?? [];
        for (int i = 0; i < licences.Count; i++)
        {
            string f = string.Create(CultureInfo.InvariantCulture, $"licences[{i}]");
            Required(licences[i]?.Number, f + ".number", violations);
            if (licences[i]?.ValidUntil is null)
            {
                violations.Add(f + ".validUntil", "required", "a licence needs its expiry");
            }
        }

        if (dto.Insurance is { } ins)
        {
            Required(ins.Policy, "insurance.policy", violations);
            if (ins.ValidUntil is null)
            {
                violations.Add("insurance.validUntil", "required", "insurance needs its expiry");
            }

            if (ins.CoverageCny is { } c && (!double.IsFinite(c) || c <= 0))
            {
                violations.Add("insurance.coverageCny", "positive", "coverage must be a positive amount of CNY");
            }
        }
        else if (category != OperationCategory.Open)
        {
            violations.Add("insurance", "required", "operators of the SPECIFIC and CERTIFIED categories need liability insurance");
        }

        return dto with { Category = WireNames.ToWire(category) };
    }

    /// <summary>Validates an aircraft and fills its class from the rule engine.</summary>
    public static AircraftDto? Validate(AircraftDto? dto, Violations violations)
    {
        if (dto is null)
        {
            violations.Add("$", "required", "the body is an aircraft object");
            return null;
        }

        Required(dto.OperatorId, "operatorId", violations);
        Required(dto.RegistrationNumber, "registrationNumber", violations);
        Required(dto.RemoteIdSerial, "remoteIdSerial", violations);
        Positive(dto.EmptyMassKg, "emptyMassKg", violations);
        Positive(dto.MaxTakeOffMassKg, "maxTakeOffMassKg", violations);
        Positive(dto.MaxSpeedKmh, "maxSpeedKmh", violations);
        Positive(dto.WindLimitMps, "windLimitMps", violations);
        Positive(dto.CruiseSpeedMps, "cruiseSpeedMps", violations);
        Positive(dto.EnduranceMin, "enduranceMin", violations);
        AircraftClass? declared = null;
        if (dto.Class is not null)
        {
            if (WireNames.TryParse<AircraftClass>(dto.Class, out var c))
            {
                declared = c;
            }
            else
            {
                violations.Add("class", "value-unknown", $"class is one of {WireNames.List<AircraftClass>()}");
            }
        }

        if (!violations.IsEmpty)
        {
            return null;
        }

        bool hasMass = dto.EmptyMassKg is not null || dto.MaxTakeOffMassKg is not null;
        if (!hasMass && declared is null)
        {
            violations.Add("class", "required", "give the class, or the empty mass / maximum take-off mass it is computed from");
            return null;
        }

        try
        {
            var aircraft = new Aircraft(dto.EmptyMassKg, dto.MaxTakeOffMassKg, dto.MaxSpeedKmh, hasMass ? null : declared, dto.WindLimitMps);
            Classification cls = Rules.Classify(aircraft);
            if (declared is { } d && hasMass && d != cls.Class)
            {
                violations.Add("class", "class-mismatch", $"declared class {WireNames.ToWire(d)} differs from {WireNames.ToWire(cls.Class)} computed from the masses ({cls.Explanation})");
                return null;
            }

            return dto with { Class = WireNames.ToWire(cls.Class), ClassLabel = cls.Label };
        }
        catch (ArgumentException ex)
        {
            violations.Add("maxTakeOffMassKg", "mass-invalid", ex.Message);
            return null;
        }
    }

    /// <summary>Validates a pilot.</summary>
    public static PilotDto? Validate(PilotDto? dto, Violations violations)
    {
        if (dto is null)
        {
            violations.Add("$", "required", "the body is a pilot object");
            return null;
        }

        Required(dto.Name, "name", violations);
        var classes = new List<string>();
        var list = dto.LicenceClasses ?? [];
        for (int i = 0; i < list.Count; i++)
        {
            if (WireNames.TryParse<AircraftClass>(list[i], out var c))
            {
                classes.Add(WireNames.ToWire(c));
            }
            else
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"licenceClasses[{i}]"), "value-unknown", $"'{list[i]}' is not one of {WireNames.List<AircraftClass>()}");
            }
        }

        if (classes.Count > 0)
        {
            Required(dto.LicenceNumber, "licenceNumber", violations);
            if (dto.LicenceValidUntil is null)
            {
                violations.Add("licenceValidUntil", "required", "a licence needs its expiry");
            }
        }

        return dto with { LicenceClasses = classes };
    }

    /// <summary>Validates a webhook URL (absolute http or https).</summary>
    public static WebhookDto? Validate(WebhookDto? dto, Violations violations)
    {
        if (dto?.Url is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            violations.Add("url", "url-format", "url must be an absolute http:// or https:// URL");
            return null;
        }

        return dto;
    }

    private static void Required(string? value, string field, Violations violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(field, "required", $"{field} is required");
        }
    }

    private static void Positive(double? value, string field, Violations violations)
    {
        if (value is { } v && (!double.IsFinite(v) || v <= 0))
        {
            violations.Add(field, "positive", $"{field} must be a positive finite number");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
