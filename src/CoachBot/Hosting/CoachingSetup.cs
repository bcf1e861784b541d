using CoachBot.Cli;
using CoachBot.Coaching;
using CoachBot.Coaching.Nudges;

namespace CoachBot.Hosting;

/// <summary>Registers the coach and the nudge library, built once from the configured packs.</summary>
internal static partial class CoachingSetup
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
        if (coach.Opinion is null)
        {
            RulesOnly(log, coach.Mode);
        }
        else
        {
            WithModel(log, coach.Mode);
        }

        services.GetRequiredService<NudgeLibrary>();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Coaching with {Mode}")]
    private static partial void RulesOnly(ILogger logger, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Coaching with {Mode}")]
    private static partial void WithModel(ILogger logger, string mode);
}
