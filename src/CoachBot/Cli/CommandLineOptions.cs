using System.CommandLine;
using CoachBot.Coaching;
using CoachBot.Coaching.Rules;

namespace CoachBot.Cli;

/// <summary>Options every coaching command shares: where the organisation's overrides are.</summary>
internal sealed class CommandLineOptions(string? configuredOverrides)
{
    public Option<string?> Overrides { get; } = new("--overrides")
    {
        Description = "Organisation overrides folder (extra packs and org.yaml). Defaults to Coaching:OverridesPath.",
    };

    public Option<string?> DefaultPacks { get; } = new("--default-packs")
    {
        Description = "Read the default packs from this folder instead of the built-in ones (for pack authors).",
        Hidden = true,
    };

    /// <summary>The overrides folder in force and what named it: <c>--overrides</c>, else the configured setting.</summary>
    public (string? Path, string Source) ResolveOverrides(ParseResult parse, string? explicitFolder = null) =>
        explicitFolder is not null ? (explicitFolder, "FOLDER")
        : parse.GetValue(Overrides) is { } option ? (option, "--overrides")
        : (string.IsNullOrWhiteSpace(configuredOverrides) ? null : configuredOverrides, "Coaching:OverridesPath");

    /// <summary>Loads the coach, or prints why the packs are unusable and returns null.</summary>
    public Coach? LoadCoach(ParseResult parse, bool rulesOnly = false)
    {
        try
        {
            var (path, source) = ResolveOverrides(parse);
            return CoachLoader.Load(path, parse.GetValue(DefaultPacks), source, rulesOnly);
        }
        catch (RulePackException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return null;
        }
    }
}
