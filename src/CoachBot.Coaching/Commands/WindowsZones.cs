namespace CoachBot.Coaching.Commands;

/// <summary>
/// The Windows time zone names people in Teams tend to type, mapped to IANA ids (from CLDR's
/// windowsZones.xml, "001" territory). Without ICU .NET cannot convert them, and the bot stores IANA ids only.
/// </summary>
internal static class WindowsZones
{
    private static readonly Dictionary<string, string> Map = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UTC"] = "Etc/UTC",
        ["GMT Standard Time"] = "Europe/London",
        ["Greenwich Standard Time"] = "Atlantic/Reykjavik",
        ["W. Europe Standard Time"] = "Europe/Berlin",
        ["Central Europe Standard Time"] = "Europe/Budapest",
        ["Romance Standard Time"] = "Europe/Paris",
        ["Central European Standard Time"] = "Europe/Warsaw",
        ["E. Europe Standard Time"] = "Europe/Chisinau",
        ["FLE Standard Time"] = "Europe/Kiev",
        ["GTB Standard Time"] = "Europe/Bucharest",
        ["Russian Standard Time"] = "Europe/Moscow",
        ["Turkey Standard Time"] = "Europe/Istanbul",
        ["Israel Standard Time"] = "Asia/Jerusalem",
        ["South Africa Standard Time"] = "Africa/Johannesburg",
        ["Arabian Standard Time"] = "Asia/Dubai",
        ["India Standard Time"] = "Asia/Kolkata",
        ["Singapore Standard Time"] = "Asia/Singapore",
        ["China Standard Time"] = "Asia/Shanghai",
        ["Tokyo Standard Time"] = "Asia/Tokyo",
        ["Korea Standard Time"] = "Asia/Seoul",
        ["AUS Eastern Standard Time"] = "Australia/Sydney",
        ["New Zealand Standard Time"] = "Pacific/Auckland",
        ["Eastern Standard Time"] = "America/New_York",
        ["Central Standard Time"] = "America/Chicago",
        ["Mountain Standard Time"] = "America/Denver",
        ["US Mountain Standard Time"] = "America/Phoenix",
        ["Pacific Standard Time"] = "America/Los_Angeles",
        ["Alaskan Standard Time"] = "America/Anchorage",
        ["Hawaiian Standard Time"] = "Pacific/Honolulu",
        ["Atlantic Standard Time"] = "America/Halifax",
        ["E. South America Standard Time"] = "America/Sao_Paulo",
        ["Argentina Standard Time"] = "America/Buenos_Aires",
        ["Central America Standard Time"] = "America/Guatemala",
        ["Mexico Standard Time"] = "America/Mexico_City",
        ["Canada Central Standard Time"] = "America/Regina",
    };

    public static string? ToIana(string windowsName) => Map.GetValueOrDefault(windowsName);
}
