using CoachBot.Cli;
using CoachBot.Coaching;
using CoachBot.Coaching.Nudges;

namespace CoachBot.Hosting;

/// <summary>Registers the coach and the nudge library, built once from the configured packs.</summary>
internal static class CoachingSetup
{
    public static IServiceCollection AddCoaching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => CoachLoader.Load(configuration["Coaching:OverridesPath"]));
        services.AddSingleton(_ => NudgeLibrary.LoadDefault());
        return services;
    }

    /// <summary>
    /// Builds the coach before the host starts listening, so broken packs stop start-up with the
    /// loader's message (file, field, why) instead of failing the first rep who writes in.
    /// </summary>
    public static void LoadCoachingNow(this IServiceProvider services)
    {
        var coach = services.GetRequiredService<Coach>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("CoachBot.Coaching");
        var mode = coach.Mode;
        if (coach.Opinion is null)
        {
            log.LogWarning("Coaching with {Mode}", mode);
        }
        else
        {
            log.LogInformation("Coaching with {Mode}", mode);
        }

        services.GetRequiredService<NudgeLibrary>();
    }
}
