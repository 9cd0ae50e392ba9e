namespace Yunlu.Server.Operations;

/// <summary>An operator (运营人): a company or person flying UAS.</summary>
/// <param name="Name">Name.</param>
/// <param name="Category">Operation category: OPEN (开放), SPECIFIC (特定) or CERTIFIED (审定).</param>
/// <param name="Licences">Operating licences (e.g. 民用无人驾驶航空器运营合格证).</param>
/// <param name="Insurance">Third-party liability insurance (mandatory for commercial flights).</param>
/// <param name="Contact">Contact (phone or e-mail).</param>
public sealed record OperatorDto(string? Name, string? Category, IReadOnlyList<LicenceDto>? Licences, InsuranceDto? Insurance, string? Contact);

/// <summary>A licence or certificate.</summary>
/// <param name="Number">Its number.</param>
/// <param name="Kind">What it licenses.</param>
/// <param name="ValidUntil">Expiry.</param>
public sealed record LicenceDto(string? Number, string? Kind, DateTimeOffset? ValidUntil);

/// <summary>Liability insurance.</summary>
/// <param name="Policy">Policy number.</param>
/// <param name="Insurer">Insurer.</param>
/// <param name="CoverageCny">Coverage, CNY.</param>
/// <param name="ValidUntil">Expiry; intents ending later are refused.</param>
public sealed record InsuranceDto(string? Policy, string? Insurer, double? CoverageCny, DateTimeOffset? ValidUntil);

/// <summary>An aircraft. Its class comes from the rule engine (cn-2024) from the masses and speed, or is declared.</summary>
/// <param name="OperatorId">The operator it belongs to.</param>
/// <param name="RegistrationNumber">Real-name registration number (实名登记号).</param>
/// <param name="RemoteIdSerial">Remote ID serial (GB 46750 / ASTM F3411).</param>
/// <param name="Model">Make and model.</param>
/// <param name="Class">MICRO, LIGHT, SMALL, MEDIUM or LARGE; computed when masses are given.</param>
/// <param name="ClassLabel">The rule set's label (read-only).</param>
/// <param name="EmptyMassKg">Empty mass, kg.</param>
/// <param name="MaxTakeOffMassKg">Maximum take-off mass, kg.</param>
/// <param name="MaxSpeedKmh">Maximum level speed, km/h.</param>
/// <param name="WindLimitMps">Rated sustained wind, m/s.</param>
/// <param name="CruiseSpeedMps">Cruise speed, m/s.</param>
/// <param name="EnduranceMin">Endurance, minutes; intents lasting longer are refused.</param>
public sealed record AircraftDto(
    string? OperatorId,
    string? RegistrationNumber,
    string? RemoteIdSerial,
    string? Model,
    string? Class,
    string? ClassLabel,
    double? EmptyMassKg,
    double? MaxTakeOffMassKg,
    double? MaxSpeedKmh,
    double? WindLimitMps,
    double? CruiseSpeedMps,
    double? EnduranceMin);

/// <summary>A remote pilot.</summary>
/// <param name="Name">Name.</param>
/// <param name="OperatorId">The operator employing the pilot, if any.</param>
/// <param name="LicenceNumber">Remote pilot licence number (无人驾驶航空器操控员执照).</param>
/// <param name="LicenceClasses">Aircraft classes the licence covers (MICRO … LARGE).</param>
/// <param name="LicenceValidUntil">Licence expiry.</param>
public sealed record PilotDto(string? Name, string? OperatorId, string? LicenceNumber, IReadOnlyList<string>? LicenceClasses, DateTimeOffset? LicenceValidUntil);

/// <summary>A registry entry as stored.</summary>
/// <typeparam name="T">The document type.</typeparam>
/// <param name="Id">Identifier.</param>
/// <param name="Data">The document.</param>
/// <param name="Version">1 on creation, +1 per change (also the ETag).</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="UpdatedBy">Who changed it.</param>
public sealed record RegistryEntryDto<T>(string Id, T Data, long Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>Operation categories (民用无人驾驶航空器运行类别).</summary>
public enum OperationCategory
{
    /// <summary>开放类 open.</summary>
    Open,

    /// <summary>特定类 specific.</summary>
    Specific,

    /// <summary>审定类 certified.</summary>
    Certified,
}
