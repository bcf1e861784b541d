using CoachBot.Coaching;
using CoachBot.Coaching.Rules;

namespace CoachBot.Cli;

/// <summary>Builds the coach the same way for the command line and the host: defaults, then the organisation's folder.</summary>
internal static class CoachLoader
{
    public static Coach Load(string? overridesPath, string? defaultPacksPath = null, string overridesSource = "Coaching:OverridesPath") =>
        new(RulePackLoader.Load(Blank(overridesPath), Blank(defaultPacksPath), overridesSource));

    private static string? Blank(string? path) => string.IsNullOrWhiteSpace(path) ? null : path;
}
