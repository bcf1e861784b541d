using CoachBot.Cli;
using CoachBot.Coaching.Rules;
using CoachBot.Endpoints;
using CoachBot.Health;
using CoachBot.Hosting;
using CoachBot.Slack;
using CoachBot.Teams;
using Microsoft.Extensions.Logging.Console;

// A command on the command line runs and exits; with none, the host serves the bot.
if (CommandLine.IsCommand(args))
{
    var config = new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
    return CommandLine.Run(args, config);
}

// Where to listen is the hosting's business: ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, --urls or Kestrel:Endpoints
// (dotnet run's launch profile sets 127.0.0.1:3978). Logs go to standard error, as a command's output would not.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.AddCoachBotHealth();
builder.Services.AddCoaching(builder.Configuration);
builder.Services.AddCoachBotTelemetry(builder.Configuration);
if (builder.Services.AddChannels(builder.Configuration) is { } problem)
{
    Console.Error.WriteLine("CoachBot cannot start: " + problem);
    return ExitCodes.BadPacks;
}

var app = builder.Build();
try
{
    app.Services.LoadCoachingNow();
    await app.Services.MigrateStorageAsync();
}
catch (Exception ex) when (ex is RulePackException or IOException or UnauthorizedAccessException or InvalidOperationException)
{
    // Written plainly to standard error: the log may go somewhere the person starting the bot isn't looking.
    Console.Error.WriteLine("CoachBot cannot start: " + ex.Message);
    return ExitCodes.BadPacks;
}

var startupLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CoachBot.Startup");
ChannelReport.Log(startupLog, app.Services.GetRequiredService<SlackOptions>(), app.Services.GetRequiredService<TeamsOptions>());
KeyRingProtection.WarnIfUnprotected(app.Configuration, app.Environment, startupLog);

app.MapHealth();
if (app.Services.SlackEnabled())
{
    app.MapSlack();
}

if (app.Services.SlackOAuthEnabled())
{
    app.MapSlackOAuth();
}

if (app.Services.TeamsEnabled())
{
    app.MapTeams();
}
await app.RunAsync();
return 0;

/// <summary>The host's entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
