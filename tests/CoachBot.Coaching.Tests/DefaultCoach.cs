using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Tests;

/// <summary>The default packs, loaded once for the whole test run: loading checks every example, so it is the slow part.</summary>
internal static class DefaultCoach
{
    private static readonly Lazy<Coach> Instance = new(() => new Coach(RulePackLoader.Load()));

    public static Coach Coach => Instance.Value;

    public static RuleEngine Engine => Coach.Engine;
}
