using CoachBot.Coaching;
using CoachBot.Coaching.Learned;
using CoachBot.Coaching.Rules;

namespace CoachBot.Cli;

/// <summary>
/// Builds the coach the same way for the command line and the host: defaults, then the
/// organisation's folder, then the learned second opinion built into the assembly. Weights that
/// do not load leave the rules coaching alone, and <see cref="Coach.Mode"/> says why.
/// </summary>
internal static class CoachLoader
{
    public static Coach Load(string? overridesPath, string? defaultPacksPath = null, string overridesSource = "Coaching:OverridesPath", bool rulesOnly = false)
    {
        var engine = RulePackLoader.Load(Blank(overridesPath), Blank(defaultPacksPath), overridesSource);
        if (rulesOnly)
        {
            return new Coach(engine);
        }

        try
        {
            return new Coach(engine, new SecondOpinion(SecondOpinionWeights.LoadDefault(), engine));
        }
        catch (InvalidDataException ex)
        {
            return new Coach(engine, opinionProblem: ex.Message);
        }
    }

    private static string? Blank(string? path) => string.IsNullOrWhiteSpace(path) ? null : path;
}
